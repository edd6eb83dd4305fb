// swift-tools-version:6.0
import PackageDescription

/// Soma: a Jupyter kernel whose Python-flavoured language mirrors PyTorch on a native Swift runtime.
let package = Package(
    name: "Soma",
    products: [
        .library(name: "SomaTensor", targets: ["SomaTensor"]),
        .library(name: "SomaNN", targets: ["SomaNN"]),
        .library(name: "SomaPlot", targets: ["SomaPlot"]),
        .library(name: "SomaKernel", targets: ["SomaKernel"]),
        .library(name: "SomaScript", targets: ["SomaScript"]),
        .executable(name: "soma", targets: ["soma"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Square roots that vectorise (header only).
        .systemLibrary(name: "CNumerics"),
        // libjpeg-turbo (Debian libjpeg62-turbo-dev) behind a small C wrapper: its fatal errors longjmp, which Swift cannot catch.
        .target(name: "CJPEG", linkerSettings: [.linkedLibrary("jpeg")]),
        // A per-thread cache of small freed blocks in front of glibc's malloc (like CPython's pymalloc); the soma
        // executable's malloc and free.
        .target(name: "CSmallAlloc"),
        .target(
            name: "SomaTensor", dependencies: ["COpenBLAS", "CNumerics"],
            // Kernels touch class storage in tight loops; dynamic exclusivity checks cost more than the work.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(
            name: "SomaNN", dependencies: ["SomaTensor", "CNumerics", "CZlib", "CPNG", "CJPEG"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // SVG charts, tables and progress bars as MIME bundles; plain numbers in, Foundation only.
        .target(name: "SomaPlot"),
        // Jupyter messaging over ZeroMQ; talks to its language only through the KernelBackend protocol.
        .target(name: "SomaKernel", dependencies: ["CZeroMQ", "CSQLite", .product(name: "Crypto", package: "swift-crypto")]),
        // The language: lexer, parser, resolver, closure compiler, built-ins; knows nothing of tensors.
        .target(name: "SomaScript", swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // The only place the language meets the tensor world: the soma modules of the language.
        .target(name: "SomaRuntime", dependencies: ["SomaScript", "SomaNN", "SomaTensor", "SomaPlot"]),
        // The command line: soma run, soma kernel, soma kernelspec install.
        .executableTarget(name: "soma", dependencies: [
            "SomaScript", "SomaRuntime", "SomaKernel", "CSmallAlloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "soma-bench", dependencies: ["SomaNN", "SomaTensor", "COpenBLAS"], path: "bench/Sources/soma-bench"),
        .testTarget(name: "SomaTensorTests", dependencies: ["SomaTensor"], exclude: ["generate_reference.py"], resources: [.copy("Data")]),
        .testTarget(
            name: "SomaNNTests", dependencies: ["SomaNN"],
            exclude: ["generate_reference.py", "generate_end_to_end.py", "generate_data_reference.py", "generate_pil_reference.py",
                      "generate_safetensors_reference.py"],
            resources: [.copy("Data")]),
        .testTarget(name: "SomaPlotTests", dependencies: ["SomaPlot"], exclude: ["generate_reference.py"], resources: [.copy("Data")]),
        .testTarget(name: "SomaKernelTests", dependencies: ["SomaKernel"], exclude: ["python"]),
        .testTarget(name: "SomaScriptTests", dependencies: ["SomaScript"], exclude: ["generate_expected.py"], resources: [.copy("Programs")]),
        .testTarget(name: "somaTests", dependencies: ["soma", "CSmallAlloc"]),
        .testTarget(name: "SomaRuntimeTests", dependencies: ["SomaRuntime", "SomaScript", "SomaNN", "SomaPlot"], exclude: ["generate_expected.py"], resources: [.copy("Programs"), .copy("Tutorials"), .copy("Errors")]),
    ],
    swiftLanguageModes: [.v5]
)
