import CSmallAlloc
import Foundation
import XCTest

/// The soma executable's malloc and free (`CSmallAlloc`): freed small blocks come back, whole and with their room,
/// and a thread's cached blocks go back to glibc when it ends. This test binary links the same allocator.
final class SmallAllocTests: XCTestCase {
    /// On a thread of its own, where nothing else allocates between the frees and the mallocs.
    func testFreedSmallBlocksAreHandedOutAgain() {
        final class Outcome: @unchecked Sendable { var cachedByFrees = 0, cachedAfterMallocs = 0, reused = 0 }
        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        Thread {
            let first = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 100)
            let second = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 100)
            for i in 0..<100 { first[i] = malloc(40) }
            let before = soma_small_alloc_cached_bytes()
            for i in 0..<100 { free(first[i]) }
            outcome.cachedByFrees = soma_small_alloc_cached_bytes() - before
            for i in 0..<100 { second[i] = malloc(33) }  // 33...40 bytes: the class of blocks with room for 40
            outcome.cachedAfterMallocs = soma_small_alloc_cached_bytes() - before
            outcome.reused = Set((0..<100).map { first[$0] }).intersection((0..<100).map { second[$0] }).count
            for i in 0..<100 { free(second[i]) }
            first.deallocate()
            second.deallocate()
            done.signal()
        }.start()
        done.wait()
        XCTAssertEqual(outcome.cachedByFrees, 100 * 40)
        XCTAssertEqual(outcome.cachedAfterMallocs, 0)
        XCTAssertEqual(outcome.reused, 100)
    }

    /// Random sizes up to past the cache's largest class, each block filled with its own byte and checked before it
    /// is freed: a block handed out twice, or with less room than asked for, would show as a wrong byte.
    func testBlocksOfEverySizeKeepTheirContents() {
        var rng = SystemRandomNumberGenerator()
        var live: [(block: UnsafeMutablePointer<UInt8>, size: Int, tag: UInt8)] = []
        for step in 0..<200_000 {
            if live.count > 3000 || (!live.isEmpty && Bool.random(using: &rng)) {
                let (block, size, tag) = live.swapRemoveRandom(&rng)
                for i in 0..<size where block[i] != tag { XCTFail("byte \(i) of a \(size)-byte block changed"); return }
                free(block)
            } else {
                let size = Int.random(in: 1...300, using: &rng)
                let block = malloc(size)!.assumingMemoryBound(to: UInt8.self)
                XCTAssertGreaterThanOrEqual(soma_small_alloc_room(block), size)
                let tag = UInt8(truncatingIfNeeded: step)
                block.initialize(repeating: tag, count: size)
                live.append((block, size, tag))
            }
        }
        for (block, _, _) in live { free(block) }
    }

    func testReallocKeepsTheContentsOfACachedBlock() {
        let first = malloc(24)!
        free(first)
        let block = malloc(20)!.assumingMemoryBound(to: UInt8.self)
        for i in 0..<20 { block[i] = UInt8(i) }
        let grown = realloc(block, 4000)!.assumingMemoryBound(to: UInt8.self)
        XCTAssertEqual((0..<20).map { grown[$0] }, (0..<20).map(UInt8.init))
        free(grown)
    }

    /// A thread that frees many small blocks keeps them while it runs; they go back to glibc when it ends.
    func testAThreadsCacheIsFlushedWhenItEnds() {
        final class Box: @unchecked Sendable { var cached = 0 }
        let done = DispatchSemaphore(value: 0), whileRunning = Box()
        let allocatedBefore = soma_small_alloc_glibc_in_use()
        let thread = Thread {
            let blocks = (0..<10_000).map { _ in malloc(64)! }
            blocks.forEach { free($0) }
            whileRunning.cached = soma_small_alloc_cached_bytes()
            done.signal()
        }
        thread.start()
        done.wait()
        Thread.sleep(forTimeInterval: 0.2)  // the thread's exit (and its cache's flush) follows its last statement
        XCTAssertGreaterThanOrEqual(whileRunning.cached, 10_000 * 64)
        XCTAssertLessThan(soma_small_alloc_glibc_in_use(), allocatedBefore + 10_000 * 64 / 2)
    }
}

private extension Array {
    mutating func swapRemoveRandom<G: RandomNumberGenerator>(_ rng: inout G) -> Element {
        let i = Int.random(in: indices, using: &rng)
        swapAt(i, count - 1)
        return removeLast()
    }
}
