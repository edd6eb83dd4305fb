import COpenBLAS
import Foundation
import Synchronization

/// One call of `cblas_sgemm`/`cblas_dgemm` (row-major), split across threads by its size.
///
/// Small products run on the calling thread. Mid-sized ones (a training step's batch through a wide layer) are cut
/// into two halves of C, each a product of its own on one OpenBLAS thread, run by the caller and `GEMMHelper`:
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
            if count >= BLASProduct.splitThreshold, let helper = GEMMHelper.shared {
                helper.run(self)
            } else {
                run(rows: 0..<m, columns: 0..<n)
            }
        }
    }

    /// Half `index` (0 or 1) of C: the halves cut the longer side of C.
    func runHalf(_ index: Int) {
        if n >= m {
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

/// A second thread that runs one half of a split product. It spins briefly after each product (a training step's
/// products come tens of microseconds apart), then sleeps until the next one.
final class GEMMHelper: @unchecked Sendable {
    /// The helper, on machines with at least two cores.
    static let shared: GEMMHelper? = ProcessInfo.processInfo.activeProcessorCount >= 2 ? GEMMHelper() : nil

    /// Product number × 4 + the next half to take: a half is taken by a compare-and-swap on it, so a helper still
    /// looking at an earlier product can never take a half of the current one.
    private let ticket = Atomic<Int>(0)
    private let halvesDone = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let inUse = Atomic<Bool>(false)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The current product; written by the caller before its ticket is published, read by the helper after taking a half.
    private var product: BLASProduct?
    private var number = 0
    /// How long the helper spins for the next product before it sleeps.
    private let spinNanoseconds: UInt64 = 300_000

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "soma-gemm"
        thread.start()
    }

    /// Runs both halves of `product`, one here and one on the helper when it is free in time; the whole product here when
    /// another thread is using the helper.
    func run(_ product: BLASProduct) {
        guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            product.runHalf(0)
            product.runHalf(1)
            return
        }
        defer { inUse.store(false, ordering: .releasing) }
        self.product = product
        number += 1
        halvesDone.store(0, ordering: .sequentiallyConsistent)
        ticket.store(number << 2, ordering: .sequentiallyConsistent)
        if sleeping.load(ordering: .sequentiallyConsistent) {
            pthread_mutex_lock(mutex)
            pthread_cond_signal(wake)
            pthread_mutex_unlock(mutex)
        }
        takeHalves(of: number)
        var spins = 0
        while halvesDone.load(ordering: .acquiring) < 2 {
            spins += 1
            if spins & 1023 == 0 { sched_yield() }
        }
    }

    /// Takes and runs halves of product `current` until none is left. `product` is read only after a half is taken:
    /// the caller then waits for that half, so it cannot be writing the next product.
    private func takeHalves(of current: Int) {
        while true {
            let seen = ticket.load(ordering: .acquiring)
            guard seen >> 2 == current, seen & 3 < 2 else { return }
            if ticket.compareExchange(expected: seen, desired: seen + 1, ordering: .acquiringAndReleasing).exchanged, let product {
                product.runHalf(seen & 3)
                halvesDone.add(1, ordering: .releasing)
            }
        }
    }

    private func serve() {
        var served = 0
        while true {
            let current = waitForProduct(after: served)
            served = current
            takeHalves(of: current)
        }
    }

    /// Spins, then sleeps, until a product numbered after `served` is published; returns its number.
    private func waitForProduct(after served: Int) -> Int {
        let start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while true {
            let current = ticket.load(ordering: .acquiring) >> 2
            if current != served { return current }
            spins += 1
            if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds - start > spinNanoseconds { break }
        }
        pthread_mutex_lock(mutex)
        sleeping.store(true, ordering: .sequentiallyConsistent)
        while ticket.load(ordering: .sequentiallyConsistent) >> 2 == served {
            pthread_cond_wait(wake, mutex)
        }
        sleeping.store(false, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
        return ticket.load(ordering: .acquiring) >> 2
    }
}
