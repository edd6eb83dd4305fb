// swift-tools-version:6.0
import PackageDescription

/// Soma: a Jupyter kernel whose Python-flavoured language mirrors PyTorch on a native Swift runtime.
let package = Package(
    name: "Soma",
    products: [
        .library(name: "SomaTensor", targets: ["SomaTensor"]),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "SomaTensor", dependencies: ["COpenBLAS"]),
        .testTarget(name: "SomaTensorTests", dependencies: ["SomaTensor"], resources: [.copy("Data")]),
    ],
    swiftLanguageModes: [.v5]
)
