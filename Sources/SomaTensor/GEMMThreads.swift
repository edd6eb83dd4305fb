import COpenBLAS
import Foundation

/// One call of `cblas_sgemm`/`cblas_dgemm` (row-major), split across threads by its size.
///
/// Small products run on the calling thread. Mid-sized ones (a training step's batch through a wide layer) are cut
/// into two halves of C, each a product of its own on one OpenBLAS thread, run by the caller and `HelperThread`:
/// unlike OpenBLAS's own threading there is no synchronisation inside a product, and whichever thread is free takes
/// the next half, so a helper that is slow to wake never holds the caller up. Large products use OpenBLAS's threads.
struct BLASProduct {
    let transA: Bool, transB: Bool
    let m: Int, n: Int, k: Int
    let a: UnsafeRawPointer, lda: Int, b: UnsafeRawPointer, ldb: Int
    let c: UnsafeMutableRawPointer, ldc: Int
    let beta: Double
    let double: Bool

    /// Products below this many multiply-adds run on the calling thread alone.
    static let splitThreshold = 1 << 20
    /// Products from this many multiply-adds on use all of OpenBLAS's threads.
    static let openBLASThreshold = 1 << 25

    func run() {
        let count = m * n * k
        if count >= BLASProduct.openBLASThreshold {
            BLASThreads.set(BLASThreads.all)
            run(rows: 0..<m, columns: 0..<n)
        } else {
            BLASThreads.set(1)
            if count >= BLASProduct.splitThreshold, let helper = HelperThread.shared {
                helper.runHalves { self.runHalf($0) }
            } else {
                run(rows: 0..<m, columns: 0..<n)
            }
        }
    }

    /// The whole product on the calling thread, on one OpenBLAS thread (the caller has set it).
    func runHere() { run(rows: 0..<m, columns: 0..<n) }

    /// Half `index` (0 or 1) of C. A C large enough for the elementwise ops that read it next to run on two threads
    /// (a weight gradient, read by the optimizer's update) is cut into top and bottom rows: the contiguous halves those
    /// ops take, so each core finds its half in its own cache (the MLP step: 15% faster than cutting the gradient's
    /// columns). A smaller C is cut across its longer side.
    func runHalf(_ index: Int) {
        let byRows = m * n >= Elementwise.splitThreshold ? m >= 2 : m > n
        if !byRows {
            let cut = n / 2
            run(rows: 0..<m, columns: index == 0 ? 0..<cut : cut..<n)
        } else {
            let cut = m / 2
            run(rows: index == 0 ? 0..<cut : cut..<m, columns: 0..<n)
        }
    }

    /// The block of C with these rows and columns, through one BLAS call.
    private func run(rows: Range<Int>, columns: Range<Int>) {
        if rows.isEmpty || columns.isEmpty { return }
        let size = double ? 8 : 4
        // Row r of op(A) starts at a + r·lda (A as stored) or at column r (A transposed); likewise for columns of op(B).
        let aStart = a + size * (transA ? rows.lowerBound : rows.lowerBound * lda)
        let bStart = b + size * (transB ? columns.lowerBound * ldb : columns.lowerBound)
        let cStart = c + size * (rows.lowerBound * ldc + columns.lowerBound)
        let ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans
        let (m, n) = (Int32(rows.count), Int32(columns.count))
        if double {
            cblas_dgemm(CblasRowMajor, ta, tb, m, n, Int32(k), 1, aStart.assumingMemoryBound(to: Double.self), Int32(lda),
                        bStart.assumingMemoryBound(to: Double.self), Int32(ldb), beta, cStart.assumingMemoryBound(to: Double.self), Int32(ldc))
        } else {
            cblas_sgemm(CblasRowMajor, ta, tb, m, n, Int32(k), 1, aStart.assumingMemoryBound(to: Float.self), Int32(lda),
                        bStart.assumingMemoryBound(to: Float.self), Int32(ldb), Float(beta), cStart.assumingMemoryBound(to: Float.self), Int32(ldc))
        }
    }
}

/// OpenBLAS's thread count, changed only when it differs from the last one set.
enum BLASThreads {
    nonisolated(unsafe) private static var current: Int32 = -1
    /// The threads OpenBLAS started with (read before the first change).
    static let all = Int32(max(1, openblas_get_num_threads()))

    static func set(_ wanted: Int32) {
        _ = BLASCore.corrected
        _ = all
        if wanted != current {
            openblas_set_num_threads(wanted)
            current = wanted
        }
    }
}
