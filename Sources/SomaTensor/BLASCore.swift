import COpenBLAS
import Foundation

/// OpenBLAS's choice of kernels, corrected where it does not know the CPU.
///
/// Debian's OpenBLAS is built for every x86 generation and picks its kernels from the CPU's family and model
/// numbers when the library loads. A CPU newer than the library (or a virtual machine that reports an unknown
/// model) makes it fall back to its generic `Prescott` kernels, which use SSE3 only: GEMM then runs at about half
/// the speed the CPU's AVX2/AVX-512 units give. When that happens and the user has not chosen a core with
/// `OPENBLAS_CORETYPE`, the kernels are chosen again from the CPU's feature flags (`SkylakeX` with AVX-512,
/// `Haswell` with AVX2 and FMA), exactly as `OPENBLAS_CORETYPE` would have chosen them at load time, before the
/// first product runs.
public enum BLASCore {
    /// The kernels OpenBLAS uses (`SkylakeX`, `Haswell`, `Prescott`, ...), after the correction.
    public static var name: String {
        _ = corrected
        return String(cString: openblas_get_corename())
    }

    /// Runs the correction once; every GEMM touches it first.
    static let corrected: Bool = correct()

    private static func correct() -> Bool {
        guard String(cString: openblas_get_corename()) == "Prescott",
              ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let flags = cpuFlags() else { return false }
        let core: String
        if ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd"].allSatisfy(flags.contains) {
            core = "SkylakeX"
        } else if ["avx2", "fma"].allSatisfy(flags.contains) {
            core = "Haswell"
        } else {
            return false
        }
        // Only a build that chooses its kernels at run time (DYNAMIC_ARCH) has these entry points.
        guard let quit = dlsym(nil, "gotoblas_dynamic_quit"), let initialise = dlsym(nil, "gotoblas_dynamic_init") else { return false }
        typealias Entry = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", core, 1)
        unsafeBitCast(quit, to: Entry.self)()
        unsafeBitCast(initialise, to: Entry.self)()
        unsetenv("OPENBLAS_CORETYPE")
        return true
    }

    /// The CPU's feature flags from /proc/cpuinfo (Linux), or nil.
    private static func cpuFlags() -> Set<String>? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return nil }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }
}
