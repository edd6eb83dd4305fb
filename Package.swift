// swift-tools-version:6.0
import PackageDescription
import Foundation

/// Soma: a Jupyter kernel whose Python-flavoured language mirrors PyTorch on a native Swift runtime.

// Targets whose folder is not in this checkout yet (each branch builds its own rooms) are left out,
// so that every branch builds on its own; on main, where every folder exists, nothing is filtered.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
func present(_ target: Target) -> Bool {
    let folder = target.type == .test ? "Tests" : "Sources"
    return FileManager.default.fileExists(atPath: "\(packageRoot)/\(folder)/\(target.name)")
}

let package = Package(
    name: "Soma",
    products: [
        .library(name: "SomaTensor", targets: ["SomaTensor"]),
        .library(name: "SomaKernel", targets: ["SomaKernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "SomaTensor", dependencies: ["COpenBLAS"]),
        .testTarget(name: "SomaTensorTests", dependencies: ["SomaTensor"], resources: [.copy("Data")]),
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SomaKernel", dependencies: ["CZeroMQ", "CSQLite", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "SomaKernelTests", dependencies: ["SomaKernel"], exclude: ["python"]),
    ].filter(present),
    swiftLanguageModes: [.v5]
)
// Each library product is named after its target.
package.products = package.products.filter { product in package.targets.contains { $0.name == product.name } }
