import Foundation

/// Raw, 64-byte aligned memory shared by a tensor and its views.
public final class Storage {
    /// Start of the buffer.
    public let bytes: UnsafeMutableRawPointer
    /// Size of the buffer in bytes.
    public let byteCount: Int
    /// Bumped by every in-place write; autograd compares it with the version it saved.
    public internal(set) var version = 0

    /// Allocates `byteCount` uninitialised bytes, reusing a cached buffer when one fits exactly.
    init(byteCount: Int) throws {
        self.byteCount = byteCount
        if let cached = BufferCache.take(byteCount) {
            bytes = cached
            return
        }
        if byteCount > BufferCache.physicalMemory {
            throw Storage.outOfMemory(byteCount)
        }
        var p: UnsafeMutableRawPointer?
        guard posix_memalign(&p, 64, max(byteCount, 64)) == 0, let raw = p else {
            throw Storage.outOfMemory(byteCount)
        }
        bytes = raw
    }

    private static func outOfMemory(_ byteCount: Int) -> TensorError {
        TensorError.runtime(
            "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate \(byteCount) bytes. Error code 12 (Cannot allocate memory)")
    }

    /// Allocates and zero-fills.
    convenience init(zeroedByteCount: Int) throws {
        try self.init(byteCount: zeroedByteCount)
        memset(bytes, 0, zeroedByteCount)
    }

    deinit { BufferCache.give(bytes, byteCount) }

    /// Records an in-place modification.
    func bumpVersion() { version &+= 1 }
}

/// Free lists of buffers by exact size, so that a training step does not call malloc for every op.
/// Sizes up to `smallLimit` bytes that are multiples of 4 index an array; larger ones a dictionary.
enum BufferCache {
    private static let smallLimit = 1 << 16
    nonisolated(unsafe) private static var small = [[UnsafeMutableRawPointer]](repeating: [], count: (1 << 16) / 4 + 1)
    nonisolated(unsafe) private static var large: [Int: [UnsafeMutableRawPointer]] = [:]
    nonisolated(unsafe) private static var cachedBytes = 0
    private static let limit = 256 << 20
    private static let lock = NSLock()
    static let physicalMemory: Int = Int(ProcessInfo.processInfo.physicalMemory)

    static func take(_ size: Int) -> UnsafeMutableRawPointer? {
        lock.lock(); defer { lock.unlock() }
        let p: UnsafeMutableRawPointer?
        if size <= smallLimit && size & 3 == 0 {
            p = small[size >> 2].popLast()
        } else {
            p = large[size]?.popLast()
        }
        if p != nil { cachedBytes -= size }
        return p
    }

    static func give(_ p: UnsafeMutableRawPointer, _ size: Int) {
        lock.lock()
        if cachedBytes + size <= limit && size > 0 {
            if size <= smallLimit && size & 3 == 0 {
                small[size >> 2].append(p)
            } else {
                large[size, default: []].append(p)
            }
            cachedBytes += size
            lock.unlock()
        } else {
            lock.unlock()
            Foundation.free(p)
        }
    }
}
