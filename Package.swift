// swift-tools-version:6.0
import PackageDescription

/// Soma: a Jupyter kernel whose Python-flavoured language mirrors PyTorch on a native Swift runtime.
let package = Package(
    name: "Soma",
    products: [
        .library(name: "SomaTensor", targets: ["SomaTensor"]),
        .library(name: "SomaNN", targets: ["SomaNN"]),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(
            name: "SomaTensor", dependencies: ["COpenBLAS"],
            // Kernels touch class storage in tight loops; dynamic exclusivity checks cost more than the work.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "SomaNN", dependencies: ["SomaTensor"]),
        .executableTarget(name: "soma-bench", dependencies: ["SomaNN", "SomaTensor", "COpenBLAS"], path: "bench/Sources/soma-bench"),
        .testTarget(name: "SomaTensorTests", dependencies: ["SomaTensor"], resources: [.copy("Data")]),
        .testTarget(name: "SomaNNTests", dependencies: ["SomaNN"], resources: [.copy("Data")]),
    ],
    swiftLanguageModes: [.v5]
)
