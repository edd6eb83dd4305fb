import Foundation
import Synchronization

/// A second thread that runs one half of a job split in two: the two halves of a mid-sized matrix product
/// (`BLASProduct`), the two halves of a large elementwise op. It spins briefly after each job (a training step's
/// jobs come tens of microseconds apart), then sleeps until the next one.
final class HelperThread: @unchecked Sendable {
    /// The helper, on machines with at least two cores.
    static let shared: HelperThread? = ProcessInfo.processInfo.activeProcessorCount >= 2 ? HelperThread() : nil

    /// Job number × 4 + the next half to take: a half is taken by a compare-and-swap on it, so a helper still
    /// looking at an earlier job can never take a half of the current one.
    private let ticket = Atomic<Int>(0)
    private let halvesDone = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let inUse = Atomic<Bool>(false)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The current job; written by the caller before its ticket is published, read by the helper after taking a half.
    private var job: ((Int) -> Void)?
    private var number = 0
    /// How long the helper spins for the next job before it sleeps.
    private let spinNanoseconds: UInt64 = 300_000

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        let thread = Thread { [unowned self] in self.serve() }
        thread.name = "soma-helper"
        thread.start()
    }

    /// Runs `half(0)` and `half(1)`, one here and one on the helper when it is free in time, and returns when both
    /// are done; both here when another thread is using the helper. The halves must not depend on each other.
    func runHalves(_ half: @escaping (Int) -> Void) {
        guard inUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            half(0)
            half(1)
            return
        }
        defer { inUse.store(false, ordering: .releasing) }
        job = half
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

    /// Splits `0..<count` in two and runs `body` on each part, on two threads when the helper is free.
    func split(_ count: Int, _ body: @escaping (Range<Int>) -> Void) {
        let cut = count / 2
        runHalves { body($0 == 0 ? 0..<cut : cut..<count) }
    }

    /// Takes and runs halves of job `current` until none is left. `job` is read only after a half is taken:
    /// the caller then waits for that half, so it cannot be writing the next job.
    private func takeHalves(of current: Int) {
        while true {
            let seen = ticket.load(ordering: .acquiring)
            guard seen >> 2 == current, seen & 3 < 2 else { return }
            if ticket.compareExchange(expected: seen, desired: seen + 1, ordering: .acquiringAndReleasing).exchanged, let job {
                job(seen & 3)
                halvesDone.add(1, ordering: .releasing)
            }
        }
    }

    private func serve() {
        var served = 0
        while true {
            let current = waitForJob(after: served)
            served = current
            takeHalves(of: current)
        }
    }

    /// Spins, then sleeps, until a job numbered after `served` is published; returns its number.
    private func waitForJob(after served: Int) -> Int {
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

/// Work split across the two cores for kernels outside this module (convolution, pooling).
public enum Parallel {
    /// Runs `body` on the two halves of `0..<count` at once, one on the helper thread, when `work` (elements touched)
    /// pays for the hand-off; otherwise `body(0..<count)` here. The halves must touch disjoint memory.
    public static func halves(_ count: Int, work: Int, _ body: @escaping (Range<Int>) -> Void) {
        if count >= 2, work >= Elementwise.splitThreshold, let helper = HelperThread.shared {
            helper.split(count, body)
        } else {
            body(0..<count)
        }
    }
}
