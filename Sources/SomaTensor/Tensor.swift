/// A strided view over shared storage, with the autograd state PyTorch keeps on a tensor.
public final class Tensor {
    /// The memory this tensor reads and writes; shared with its views.
    public internal(set) var storage: Storage
    /// Size of each dimension.
    public internal(set) var shape: [Int]
    /// Step in elements between neighbours along each dimension.
    public internal(set) var strides: [Int]
    /// Position of the first element in `storage`, in elements.
    public internal(set) var offset: Int
    /// Element type.
    public internal(set) var dtype: DType
    /// Whether gradients are recorded for operations on this tensor.
    public internal(set) var requiresGrad = false
    /// Gradient accumulated by `backward()` (leaves, and non-leaves that called `retainGrad()`).
    public var grad: Tensor?
    /// The graph node that produced this tensor, nil for leaves.
    public internal(set) var gradFn: GradNode?
    /// Whether `backward()` stores `.grad` on this non-leaf tensor.
    public internal(set) var retainsGrad = false
    /// A Python number wrapped as a tensor: it takes part in type promotion with lowest priority.
    var isWrappedNumber = false

    init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
    }

    /// A new contiguous tensor with uninitialised elements.
    public static func empty(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        let n = try Shape.checkedNumel(shape)
        let storage = try Storage(byteCount: n * dtype.itemSize)
        return Tensor(storage: storage, shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// Number of dimensions.
    public var dim: Int { shape.count }
    /// Number of elements.
    public var numel: Int { Shape.numel(shape) }
    /// Whether this tensor is a leaf of the autograd graph.
    public var isLeaf: Bool { gradFn == nil }
    /// Whether the elements lie in row-major order without gaps.
    public var isContiguous: Bool { Shape.isContiguous(shape, strides) }

    /// Size of dimension `d` (negative counts from the end).
    public func size(_ d: Int) throws -> Int { shape[try Shape.normalize(d, dim)] }

    /// Typed pointer to the first element.
    @inline(__always)
    func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        storage.bytes.assumingMemoryBound(to: T.self) + offset
    }

    /// Typed pointer to the first element for kernels outside this module (layers, losses,
    /// optimizers, data loaders); valid while the tensor lives, and `T` must match `dtype`.
    /// Call `markModified()` after writing through it.
    public func unsafeData<T>(as type: T.Type) -> UnsafeMutablePointer<T> {
        precondition(MemoryLayout<T>.size == dtype.itemSize, "unsafeData(as: \(T.self)) on a \(dtype) tensor")
        return pointer(type)
    }

    /// Records an in-place write done through `unsafeData`, so autograd can detect stale saved values.
    public func markModified() { storage.bumpVersion() }

    /// Turns gradient recording on or off for a leaf tensor (`requires_grad_`).
    @discardableResult
    public func requiresGrad(_ flag: Bool = true) throws -> Tensor {
        if flag && !dtype.isFloatingPoint {
            throw TensorError.runtime("only Tensors of floating point dtype can require gradients")
        }
        if !isLeaf && !flag {
            throw TensorError.runtime(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")
        }
        requiresGrad = flag
        return self
    }

    /// Keeps `.grad` for this non-leaf tensor after `backward()`.
    public func retainGrad() throws {
        guard requiresGrad else { throw TensorError.runtime("can't retain_grad on Tensor that has requires_grad=False") }
        if !isLeaf {
            retainsGrad = true
            gradFn?.retained = self
        }
    }

    /// The same data without autograd history (`detach`).
    public func detach() -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }

    /// A view with new geometry over the same storage, carrying no history.
    func alias(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }

    /// Makes this tensor share `other`'s data and geometry (`t.data = other`).
    public func setData(_ other: Tensor) throws {
        if other.dtype != dtype && requiresGrad && !other.dtype.isFloatingPoint {
            throw TensorError.runtime("data set to a tensor that requires gradients must be floating point or complex dtype")
        }
        storage = other.storage
        shape = other.shape
        strides = other.strides
        offset = other.offset
        dtype = other.dtype
    }
}
