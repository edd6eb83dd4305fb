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
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // libjpeg-turbo (Debian libjpeg62-turbo-dev) behind a small C wrapper: its fatal errors longjmp, which Swift cannot catch.
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        .target(
            name: "SomaTensor", dependencies: ["COpenBLAS"],
            // Kernels touch class storage in tight loops; dynamic exclusivity checks cost more than the work.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(
            name: "SomaNN", dependencies: ["SomaTensor", "CZlib", "CPNG", "CJPEG"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "SomaScript"),
        .target(name: "SomaRuntime", dependencies: ["SomaScript", "SomaNN", "SomaTensor"]),
        .testTarget(name: "SomaRuntimeTests", dependencies: ["SomaRuntime", "SomaScript"], resources: [.copy("Programs")]),
        .executableTarget(name: "soma-bench", dependencies: ["SomaNN", "SomaTensor", "COpenBLAS"], path: "bench/Sources/soma-bench"),
        .testTarget(name: "SomaTensorTests", dependencies: ["SomaTensor"], exclude: ["generate_reference.py"], resources: [.copy("Data")]),
        .testTarget(
            name: "SomaNNTests", dependencies: ["SomaNN"],
            exclude: ["generate_reference.py", "generate_end_to_end.py", "generate_data_reference.py", "generate_pil_reference.py",
                      "generate_safetensors_reference.py"],
            resources: [.copy("Data")]),
    ],
    swiftLanguageModes: [.v5]
)
