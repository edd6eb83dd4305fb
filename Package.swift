// swift-tools-version:6.0
import PackageDescription

/// Soma: a Jupyter kernel whose Python-flavoured language mirrors PyTorch on a native Swift runtime.
let package = Package(
    name: "Soma",
    products: [
        .library(name: "SomaTensor", targets: ["SomaTensor"]),
        .executable(name: "soma", targets: ["soma"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "SomaTensor", dependencies: ["COpenBLAS"]),
        .testTarget(name: "SomaTensorTests", dependencies: ["SomaTensor"], resources: [.copy("Data")]),
        .target(name: "SomaScript"),
        .executableTarget(name: "soma", dependencies: [
            "SomaScript",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "SomaScriptTests", dependencies: ["SomaScript"], resources: [.copy("Programs")]),
    ],
    swiftLanguageModes: [.v5]
)
