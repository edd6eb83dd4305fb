import Foundation
import SomaNN
import SomaScript
import SomaTensor

/// A tensor as a language value (`torch.Tensor`).
final class PyTensor: PyObject {
    /// Set once by `torch.Tensor(...)`'s initialiser; fixed afterwards.
    fileprivate(set) var tensor: Tensor
    init(_ tensor: Tensor, type: PyType = TensorType.type) {
        self.tensor = tensor
        super.init(type: type)
    }
}

/// `x[...]` subscripts as tensor indices: ints, slices, None, Ellipsis, bools, tensors and lists.
func tensorIndices(_ index: Value) throws -> [TensorIndex] {
    let items = index.as(PyTuple.self)?.items ?? [index]
    return try items.map { item in
        switch item {
        case .int(let i): return .int(i)
        case .none: return .none
        case .bool(let b): return .tensor(Tensor.scalar(.bool(b)).detach())
        case .object(let o):
            if let s = o as? PySlice {
                return .slice(start: try s.start.optionalInteger("slice index"), stop: try s.stop.optionalInteger("slice index"),
                              step: try s.step.optionalInteger("slice index"))
            }
            if o === Types.ellipsis { return .ellipsis }
            if let t = o as? PyTensor { return t.tensor.dim == 0 && t.tensor.dtype == .int64 ? .int(try t.tensor.item().int) : .tensor(t.tensor) }
            if item.sequenceItems() != nil { return .tensor(try pyTry { try Tensor.make(try nested(item)) }) }
            throw PyException.indexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got \(item.typeName))")
        default:
            throw PyException.indexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got \(item.typeName))")
        }
    }
}

extension Scalar {
    /// The integer value (for index tensors).
    var int: Int { if case .int(let i) = self { return i } else { return Int(double) } }
}

/// The `Tensor` class: operators, indexing, methods and properties with PyTorch's names.
enum TensorType {
    static func tensor(_ v: Value) -> Tensor { v.as(PyTensor.self)!.tensor }

    static let type: PyType = {
        let t = PyType.nativeClass("Tensor", module: "soma", doc: "A multi-dimensional array with autograd, as torch.Tensor.") {
            PyTensor(Tensor.scalar(.double(0)).detach(), type: $0)
        }
        // torch.Tensor([1, 2]) copies data as float32; torch.Tensor(2, 3) makes an uninitialised (here zeroed) 2x3 tensor.
        t.def("__init__", [], varArgs: true) { _, v, a in
            let items = a[0].sequenceItems()!
            let o = v.as(PyTensor.self)!
            if items.count == 1, items[0].sequenceItems() != nil || items[0].as(PyTensor.self) != nil {
                o.tensor = try Tensor.make(try nested(items[0]), dtype: .float32)
            } else {
                o.tensor = try Tensor.zeros(try shapeArgument(items))
            }
            return .none
        }
        addOperators(t)
        t.fastBinary = fastBinary
        addIndexing(t)
        addProperties(t)
        addMethods(t)
        addReductions(t)
        addDisplay(t)
        return t
    }()

    private static func binary(_ t: PyType, _ name: String, reflected: String?, inPlace: String?,
                               _ op: @escaping (Tensor, Tensor) throws -> Tensor, inPlaceOp: ((Tensor, Tensor) throws -> Void)? = nil) {
        t.def(name, ["other"]) { _, v, a in
            guard let other = try? tensorOrNumber(a[0], "other") else { return .object(Types.notImplemented) }
            return wrap(try op(tensor(v), other))
        }
        if let reflected {
            t.def(reflected, ["other"]) { _, v, a in
                guard let other = try? tensorOrNumber(a[0], "other") else { return .object(Types.notImplemented) }
                return wrap(try op(other, tensor(v)))
            }
        }
        if let inPlace, let inPlaceOp {
            t.def(inPlace, ["other"]) { _, v, a in
                try inPlaceOp(tensor(v), try tensorArgument(a[0]))
                return v
            }
        }
    }

    /// `a op b` for the arithmetic operators when both operands are tensors or numbers: what the `__add__`/`__radd__`
    /// family computes, without method lookup and argument binding (the interpreter asks this first).
    static func fastBinary(_ op: BinOp, _ a: Value, _ b: Value) throws -> Value? {
        switch op {
        case .add, .sub, .mul, .div, .pow: break
        default: return nil
        }
        guard let x = operand(a), let y = operand(b) else { return nil }
        switch op {
        case .add: return try pyTry { wrap(try x.add(y)) }
        case .sub: return try pyTry { wrap(try x.sub(y)) }
        case .mul: return try pyTry { wrap(try x.mul(y)) }
        case .div: return try pyTry { wrap(try x.div(y)) }
        case .pow: return try pyTry { wrap(try x.pow(y)) }
        default: return nil
        }
    }

    /// A tensor, or a Python number as a wrapped scalar (as `tensorOrNumber` takes them), else nil.
    @inline(__always) private static func operand(_ v: Value) -> Tensor? {
        switch v {
        case .object(let o): return (o as? PyTensor)?.tensor
        case .int(let i): return Tensor.scalar(.int(i))
        case .float(let d): return Tensor.scalar(.double(d))
        case .bool(let b): return Tensor.scalar(.bool(b))
        default: return nil
        }
    }

    private static func addOperators(_ t: PyType) {
        binary(t, "__add__", reflected: "__radd__", inPlace: "__iadd__", { try $0.add($1) }, inPlaceOp: { try $0.add_($1) })
        binary(t, "__sub__", reflected: "__rsub__", inPlace: "__isub__", { try $0.sub($1) }, inPlaceOp: { try $0.sub_($1) })
        binary(t, "__mul__", reflected: "__rmul__", inPlace: "__imul__", { try $0.mul($1) }, inPlaceOp: { try $0.mul_($1) })
        binary(t, "__truediv__", reflected: "__rtruediv__", inPlace: "__itruediv__", { try $0.div($1) }, inPlaceOp: { try $0.div_($1) })
        binary(t, "__floordiv__", reflected: "__rfloordiv__", inPlace: "__ifloordiv__", { try $0.floorDivide($1) },
               inPlaceOp: { try $0.floorDivide_($1) })
        binary(t, "__mod__", reflected: "__rmod__", inPlace: "__imod__", { try $0.remainder($1) }, inPlaceOp: { try $0.remainder_($1) })
        binary(t, "__pow__", reflected: "__rpow__", inPlace: "__ipow__", { try $0.pow($1) }, inPlaceOp: { try $0.pow_($1) })
        binary(t, "__matmul__", reflected: "__rmatmul__", inPlace: nil, { try $0.matmul($1) })
        binary(t, "__eq__", reflected: nil, inPlace: nil, { try $0.eq($1) })
        binary(t, "__ne__", reflected: nil, inPlace: nil, { try $0.ne($1) })
        binary(t, "__lt__", reflected: nil, inPlace: nil, { try $0.lt($1) })
        binary(t, "__le__", reflected: nil, inPlace: nil, { try $0.le($1) })
        binary(t, "__gt__", reflected: nil, inPlace: nil, { try $0.gt($1) })
        binary(t, "__ge__", reflected: nil, inPlace: nil, { try $0.ge($1) })
        binary(t, "__and__", reflected: "__rand__", inPlace: nil, { try $0.logicalAnd($1) })
        binary(t, "__or__", reflected: "__ror__", inPlace: nil, { try $0.logicalOr($1) })
        binary(t, "__xor__", reflected: "__rxor__", inPlace: nil, { try $0.logicalXor($1) })
        t.def("__neg__") { _, v, _ in wrap(try tensor(v).neg()) }
        t.def("__pos__") { _, v, _ in v }
        t.def("__abs__") { _, v, _ in wrap(try tensor(v).abs()) }
        t.def("__invert__") { _, v, _ in
            let x = tensor(v)
            guard x.dtype == .bool else { throw PyException.typeError("~ (bitwise not) is only supported on bool tensors in Soma") }
            return wrap(try x.logicalNot())
        }
        t.def("__hash__") { _, v, _ in .int(ObjectIdentifier(tensor(v)).hashValue) }
    }

    private static func addIndexing(_ t: PyType) {
        t.def("__getitem__", ["index"]) { _, v, a in wrap(try tensor(v).index(try tensorIndices(a[0]))) }
        t.def("__setitem__", ["index", "value"]) { _, v, a in
            try tensor(v).indexPut(try tensorIndices(a[0]), try tensorArgument(a[1]))
            return .none
        }
        t.def("__len__") { _, v, _ in
            let x = tensor(v)
            guard x.dim > 0 else { throw PyException.typeError("len() of a 0-d tensor") }
            return .int(x.shape[0])
        }
        t.def("__iter__") { _, v, _ in
            let x = tensor(v)
            guard x.dim > 0 else { throw PyException.typeError("iteration over a 0-d tensor") }
            var i = 0
            return .object(PyIterator {
                guard i < x.shape[0] else { return nil }
                defer { i += 1 }
                return wrap(try pyTry { try x.select(0, i) })
            })
        }
        t.def("__bool__") { _, v, _ in
            let x = tensor(v)
            guard x.numel == 1 else {
                throw PyException.runtimeError("Boolean value of Tensor with more than one value is ambiguous")
            }
            return .bool(try x.item().double != 0)
        }
        t.def("__float__") { _, v, _ in .float(try oneElement(tensor(v), "float").double) }
        t.def("__int__") { _, v, _ in .int(Int(try oneElement(tensor(v), "int").double.rounded(.towardZero))) }
        t.def("__index__") { _, v, _ in
            let x = tensor(v)
            guard !x.dtype.isFloatingPoint, x.numel == 1 else {
                throw PyException.typeError("only integer tensors of a single element can be converted to an index")
            }
            return .int(try x.item().int)
        }
        t.def("__repr__") { _, v, _ in .str(tensor(v).description) }
        t.def("__format__", ["spec"]) { _, v, a in
            let x = tensor(v)
            guard case .str(let spec) = a[0], !spec.isEmpty else { return .str(x.description) }
            guard x.numel == 1 else { throw PyException.typeError("unsupported format string passed to Tensor.__format__") }
            return .str(try formatNumber(try x.item(), spec))
        }
    }

    private static func oneElement(_ x: Tensor, _ to: String) throws -> Scalar {
        guard x.numel == 1 else { throw PyException.typeError("only one element tensors can be converted to Python scalars") }
        return try x.item()
    }

    private static func addProperties(_ t: PyType) {
        t.prop("shape") { .object(PySize(tensor($0).shape)) }
        t.prop("dtype") { .object(PyDType.all[tensor($0).dtype]!) }
        t.prop("device") { _ in .object(PyDevice("cpu")) }
        t.prop("is_cuda") { _ in .bool(false) }
        t.prop("ndim") { .int(tensor($0).dim) }
        t.prop("is_leaf") { .bool(tensor($0).isLeaf) }
        t.prop("T") { v in
            let x = tensor(v)
            return wrap(try x.permute(Array((0..<x.dim).reversed())))
        }
        t.prop("grad", get: { wrap(tensor($0).grad) }, set: { v, new in
            tensor(v).grad = new.isNone ? nil : try tensorOnly(new, "assigned grad")
        })
        t.prop("requires_grad", get: { .bool(tensor($0).requiresGrad) }, set: { v, new in try tensor(v).requiresGrad(new.truthy) })
        t.prop("data", get: { wrap(tensor($0).detach()) }, set: { v, new in try tensor(v).setData(try tensorOnly(new, "data")) })
        t.prop("grad_fn") { v in
            guard let fn = tensor(v).gradFn else { return .none }
            return .object(PyGradFn(fn))
        }
    }

    private static func addMethods(_ t: PyType) {
        t.def("size", ["dim"], defaults: ["dim": .none]) { _, v, a in
            let x = tensor(v)
            if a[0].isNone { return .object(PySize(x.shape)) }
            return .int(try x.size(try a[0].integer("dim")))
        }
        t.def("dim") { _, v, _ in .int(tensor(v).dim) }
        t.def("numel") { _, v, _ in .int(tensor(v).numel) }
        t.def("item") { _, v, _ in scalarValue(try tensor(v).item()) }
        t.def("tolist") { _, v, _ in unnest(tensor(v).tolist()) }
        t.def("numpy") { _, _, _ in
            throw PyException.make("ModuleNotFoundError", "Soma has no NumPy: use .tolist() or .item() to get Python numbers")
        }
        t.def("backward", ["gradient", "retain_graph"], defaults: ["gradient": .none, "retain_graph": .none]) { _, v, a in
            try tensor(v).backward(a[0].isNone ? nil : try tensorArgument(a[0]), retainGraph: a[1].truthy)
            return .none
        }
        t.def("detach") { _, v, _ in wrap(tensor(v).detach()) }
        t.def("requires_grad_", ["requires_grad"], defaults: ["requires_grad": .bool(true)]) { _, v, a in
            try tensor(v).requiresGrad(a[0].truthy)
            return v
        }
        t.def("retain_grad") { _, v, _ in try tensor(v).retainGrad(); return .none }
        t.def("zero_") { _, v, _ in try tensor(v).zero_(); return v }
        t.def("fill_", ["value"]) { _, v, a in
            guard let s = a[0].scalar ?? (try? tensorArgument(a[0]).item()) else { throw PyException.typeError("fill_ expects a number") }
            try tensor(v).fill(s)
            return v
        }
        t.def("copy_", ["src"]) { _, v, a in try tensor(v).copy_(try tensorArgument(a[0])); return v }
        t.def("add_", ["other"], defaults: ["alpha": .int(1)], keywordOnly: ["alpha"]) { _, v, a in
            try tensor(v).add_(try tensorArgument(a[0]), alpha: try a[1].number("alpha"))
            return v
        }
        t.def("sub_", ["other"], defaults: ["alpha": .int(1)], keywordOnly: ["alpha"]) { _, v, a in
            try tensor(v).sub_(try tensorArgument(a[0]), alpha: try a[1].number("alpha"))
            return v
        }
        t.def("mul_", ["other"]) { _, v, a in try tensor(v).mul_(try tensorArgument(a[0])); return v }
        t.def("div_", ["other"]) { _, v, a in try tensor(v).div_(try tensorArgument(a[0])); return v }
        t.def("clamp_", ["min", "max"], defaults: ["min": .none, "max": .none]) { _, v, a in
            try tensor(v).clamp_(min: a[0].isNone ? nil : try a[0].number("min"), max: a[1].isNone ? nil : try a[1].number("max"))
            return v
        }
        t.def("add", ["other"], defaults: ["alpha": .int(1)], keywordOnly: ["alpha"]) { _, v, a in
            wrap(try tensor(v).add(try tensorOrNumber(a[0], argument("add", "other", 1)), alpha: try a[1].number("alpha")))
        }
        t.def("sub", ["other"], defaults: ["alpha": .int(1)], keywordOnly: ["alpha"]) { _, v, a in
            wrap(try tensor(v).sub(try tensorOrNumber(a[0], argument("sub", "other", 1)), alpha: try a[1].number("alpha")))
        }
        for (name, op) in [("mul", { (x: Tensor, y: Tensor) in try x.mul(y) }), ("div", { try $0.div($1) }), ("pow", { try $0.pow($1) }),
                           ("matmul", { try $0.matmul($1) }), ("mm", { try $0.mm($1) }), ("bmm", { try $0.bmm($1) }),
                           ("eq", { try $0.eq($1) }), ("ne", { try $0.ne($1) }), ("lt", { try $0.lt($1) }), ("le", { try $0.le($1) }),
                           ("gt", { try $0.gt($1) }), ("ge", { try $0.ge($1) }), ("maximum", { try $0.maximum($1) }),
                           ("minimum", { try $0.minimum($1) }), ("remainder", { try $0.remainder($1) })] as [(String, (Tensor, Tensor) throws -> Tensor)] {
            let convert = ["matmul", "mm", "bmm", "maximum", "minimum"].contains(name) ? tensorOnly : tensorOrNumber
            t.def(name, ["other"]) { _, v, a in wrap(try op(tensor(v), try convert(a[0], argument(name, "other", 1)))) }
        }
        for (name, op) in [("exp", { (x: Tensor) in try x.exp() }), ("log", { try $0.log() }), ("sqrt", { try $0.sqrt() }),
                           ("abs", { try $0.abs() }), ("sin", { try $0.sin() }), ("cos", { try $0.cos() }), ("tanh", { try $0.tanh() }),
                           ("sigmoid", { try $0.sigmoid() }), ("relu", { try $0.relu() }), ("neg", { try $0.neg() }),
                           ("sign", { try $0.sign() }), ("floor", { try $0.floor() }), ("ceil", { try $0.ceil() }),
                           ("round", { try $0.round() }), ("clone", { try $0.clone() }), ("contiguous", { try $0.contiguous() }),
                           ("t", { try $0.t() }), ("float", { try $0.float() }), ("double", { try $0.double() }),
                           ("long", { try $0.long() }), ("int", { try $0.long() }), ("bool", { try $0.bool() }),
                           ("cpu", { $0 }), ("nonzero", { try $0.nonzero() }), ("logical_not", { try $0.logicalNot() })]
            as [(String, (Tensor) throws -> Tensor)] {
            t.def(name) { _, v, _ in wrap(try op(tensor(v))) }
        }
        t.def("view", [], varArgs: true) { _, v, a in wrap(try tensor(v).view(try shapeArgument(a[0].sequenceItems()!))) }
        t.def("reshape", [], varArgs: true) { _, v, a in wrap(try tensor(v).reshape(try shapeArgument(a[0].sequenceItems()!))) }
        t.def("expand", [], varArgs: true) { _, v, a in wrap(try tensor(v).expand(try shapeArgument(a[0].sequenceItems()!))) }
        t.def("permute", [], varArgs: true) { _, v, a in wrap(try tensor(v).permute(try shapeArgument(a[0].sequenceItems()!))) }
        t.def("view_as", ["other"]) { _, v, a in wrap(try tensor(v).view(try tensorOnly(a[0], "other").shape)) }
        t.def("transpose", ["dim0", "dim1"]) { _, v, a in wrap(try tensor(v).transpose(try a[0].integer("dim0"), try a[1].integer("dim1"))) }
        t.def("unsqueeze", ["dim"]) { _, v, a in wrap(try tensor(v).unsqueeze(try a[0].integer("dim"))) }
        t.def("squeeze", ["dim"], defaults: ["dim": .none]) { _, v, a in wrap(try tensor(v).squeeze(try a[0].optionalInteger("dim"))) }
        t.def("flatten", ["start_dim", "end_dim"], defaults: ["start_dim": .int(0), "end_dim": .int(-1)]) { _, v, a in
            wrap(try tensor(v).flatten(try a[0].integer("start_dim"), try a[1].integer("end_dim")))
        }
        t.def("to", [], defaults: ["dtype": .none, "device": .none], keywordOnly: ["dtype", "device"], varArgs: true) { _, v, a in
            var x = tensor(v)
            for arg in a[0].sequenceItems()! {
                if let d = (try? dtypeArgument(arg)) ?? nil { x = try x.to(d) } else if let other = arg.as(PyTensor.self) {
                    x = try x.to(other.tensor.dtype)
                } else {
                    try checkDevice(arg)
                }
            }
            if let d = try dtypeArgument(a[1]) { x = try x.to(d) }
            try checkDevice(a[2])
            return wrap(x)
        }
        t.def("type", ["dtype"], defaults: ["dtype": .none]) { _, v, a in
            let x = tensor(v)
            if a[0].isNone { return .str(x.typeNameForPython) }
            guard let d = try dtypeArgument(a[0]) else { return v }
            return wrap(try x.to(d))
        }
        t.def("cuda", [], varArgs: true, varKeywords: true) { _, _, _ in
            throw PyException.runtimeError("Soma runs on the CPU only: CUDA is not available (torch.cuda.is_available() is False)")
        }
        t.def("clamp", ["min", "max"], defaults: ["min": .none, "max": .none]) { _, v, a in
            wrap(try tensor(v).clamp(min: a[0].isNone ? nil : try a[0].number("min"), max: a[1].isNone ? nil : try a[1].number("max")))
        }
        t.def("leaky_relu", ["negative_slope"], defaults: ["negative_slope": .float(0.01)]) { _, v, a in
            wrap(try tensor(v).leakyRelu(try a[0].number("negative_slope")))
        }
        t.def("softmax", ["dim"]) { _, v, a in wrap(try tensor(v).softmax(dim: try a[0].integer("dim"))) }
        t.def("log_softmax", ["dim"]) { _, v, a in wrap(try tensor(v).logSoftmax(dim: try a[0].integer("dim"))) }
        t.def("split", ["split_size", "dim"], defaults: ["dim": .int(0)]) { _, v, a in try split(tensor(v), a[0], dim: a[1]) }
        t.def("chunk", ["chunks", "dim"], defaults: ["dim": .int(0)]) { _, v, a in try chunk(tensor(v), a[0], dim: a[1]) }
        t.def("gather", ["dim", "index"]) { _, v, a in wrap(try tensor(v).gather(try a[0].integer("dim"), try tensorOnly(a[1], "index"))) }
        t.def("masked_fill", ["mask", "value"]) { _, v, a in
            wrap(try Tensor.where(try tensorOnly(a[0], "mask"), try tensorArgument(a[1]), tensor(v)))
        }
        t.def("allclose", ["other", "rtol", "atol"], defaults: ["rtol": .float(1e-5), "atol": .float(1e-8)]) { _, v, a in
            .bool(try tensor(v).allclose(try tensorArgument(a[0]), rtol: try a[1].number("rtol"), atol: try a[2].number("atol")))
        }
        t.def("equal", ["other"]) { _, v, a in .bool(tensor(v).equal(try tensorArgument(a[0]))) }
        t.def("is_floating_point") { _, v, _ in .bool(tensor(v).dtype.isFloatingPoint) }
        t.def("element_size") { _, v, _ in .int(tensor(v).dtype.itemSize) }
        t.def("uniform_", ["from", "to"], defaults: ["from": .int(0), "to": .int(1)]) { _, v, a in
            try GradMode.with(enabled: false) { try tensor(v).uniform(try a[0].number("from"), try a[1].number("to")) }
            return v
        }
        t.def("normal_", ["mean", "std"], defaults: ["mean": .int(0), "std": .int(1)]) { _, v, a in
            try GradMode.with(enabled: false) { try tensor(v).normal(mean: try a[0].number("mean"), std: try a[1].number("std")) }
            return v
        }
    }

    private static func addReductions(_ t: PyType) {
        for (name, op) in [("sum", { (x: Tensor, d: [Int]?, k: Bool) in try x.sum(dims: d, keepdim: k) }),
                           ("mean", { try $0.mean(dims: $1, keepdim: $2) })] as [(String, (Tensor, [Int]?, Bool) throws -> Tensor)] {
            t.def(name, ["dim", "keepdim"], defaults: ["dim": .none, "keepdim": .bool(false)], keywordOnly: ["dtype"]) { _, v, a in
                var x = tensor(v)
                if let d = try dtypeArgument(a.count > 2 ? a[2] : .none) { x = try x.to(d) }
                return wrap(try op(x, try dimsArgument(a[0]), a[1].truthy))
            }
        }
        for (name, unbiasedDefault) in [("var", true), ("std", true)] {
            t.def(name, ["dim", "unbiased", "keepdim"], defaults: ["dim": .none, "unbiased": .bool(unbiasedDefault), "keepdim": .bool(false)],
                  keywordOnly: ["correction"]) { _, v, a in
                let x = tensor(v)
                let correction = a.count > 3 && !a[3].isNone ? try a[3].integer("correction") : (a[1].truthy ? 1 : 0)
                let dims = try dimsArgument(a[0])
                return wrap(name == "var" ? try x.variance(dims: dims, correction: correction, keepdim: a[2].truthy)
                                          : try x.std(dims: dims, correction: correction, keepdim: a[2].truthy))
            }
        }
        for (name, isMax) in [("max", true), ("min", false)] {
            t.def(name, ["dim", "keepdim"], defaults: ["dim": .none, "keepdim": .bool(false)]) { _, v, a in
                try extremum(tensor(v), a[0], a[1], isMax: isMax)
            }
        }
        for (name, isMax) in [("argmax", true), ("argmin", false)] {
            t.def(name, ["dim", "keepdim"], defaults: ["dim": .none, "keepdim": .bool(false)]) { _, v, a in
                let x = tensor(v), d = try a[0].optionalInteger("dim")
                return wrap(isMax ? try x.argmax(dim: d, keepdim: a[1].truthy) : try x.argmin(dim: d, keepdim: a[1].truthy))
            }
        }
        t.def("prod", ["dim", "keepdim"], defaults: ["dim": .none, "keepdim": .bool(false)]) { _, v, a in
            wrap(try tensor(v).prod(dim: try a[0].optionalInteger("dim"), keepdim: a[1].truthy))
        }
    }

    /// `x.split(2)` or `x.split([1, 3])`, as a tuple of views.
    static func split(_ x: Tensor, _ size: Value, dim: Value) throws -> Value {
        let d = try dim.integer("dim")
        let parts = try size.sequenceItems().map { try x.split(sizes: $0.map { try $0.integer("split_size") }, dim: d) }
            ?? x.split(try size.integer("split_size"), dim: d)
        return .object(PyTuple(parts.map(wrap)))
    }

    /// `x.chunk(n)`, as a tuple of views.
    static func chunk(_ x: Tensor, _ chunks: Value, dim: Value) throws -> Value {
        .object(PyTuple(try x.chunk(try chunks.integer("chunks"), dim: try dim.integer("dim")).map(wrap)))
    }

    /// `x.max()`, `x.max(dim)` (values and indices) or `x.max(other)` (element-wise), as PyTorch overloads it.
    static func extremum(_ x: Tensor, _ dim: Value, _ keepdim: Value, isMax: Bool) throws -> Value {
        if dim.isNone { return wrap(isMax ? try x.max() : try x.min()) }
        if let other = dim.as(PyTensor.self)?.tensor { return wrap(isMax ? try x.maximum(other) : try x.minimum(other)) }
        let d = try dim.integer("dim")
        let r = isMax ? try x.max(dim: d, keepdim: keepdim.truthy) : try x.min(dim: d, keepdim: keepdim.truthy)
        return .object(PyTuple([wrap(r.values), wrap(r.indices)], type: isMax ? ReturnTypes.max : ReturnTypes.min))
    }
}

/// `torch.return_types.max` and `min`: the (values, indices) tuple a reduction along a dim returns, also readable by name.
enum ReturnTypes {
    static let max = make("max"), min = make("min")

    private static func make(_ name: String) -> PyType {
        let t = PyType.nativeClass(name, module: "torch.return_types", base: Types.tuple)
        t.prop("values") { $0.as(PyTuple.self)!.items[0] }
        t.prop("indices") { $0.as(PyTuple.self)!.items[1] }
        t.def("__repr__") { interp, v, _ in
            let items = v.as(PyTuple.self)!.items
            return .str("torch.return_types.\(name)(\nvalues=\(try interp.repr(items[0])),\nindices=\(try interp.repr(items[1])))")
        }
        return t
    }
}

/// The graph node behind `t.grad_fn` (shown as `<AddBackward0 object>`).
final class PyGradFn: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("Node", module: "soma.autograd")
        t.def("__repr__") { _, v, _ in .str("<\(v.as(PyGradFn.self)!.node.name) object>") }
        t.def("name") { _, v, _ in .str(v.as(PyGradFn.self)!.node.name) }
        return t
    }()
    let node: GradNode
    init(_ node: GradNode) {
        self.node = node
        super.init(type: PyGradFn.type)
    }
}

extension Tensor {
    /// PyTorch's legacy type string (`x.type()`), e.g. `torch.FloatTensor`.
    var typeNameForPython: String {
        switch dtype {
        case .bool: return "torch.BoolTensor"
        case .int64: return "torch.LongTensor"
        case .float32: return "torch.FloatTensor"
        case .float64: return "torch.DoubleTensor"
        }
    }
}

/// A one-element tensor under a format spec (`f"{loss:.3f}"`), as Python formats the number it holds.
func formatNumber(_ s: Scalar, _ spec: String) throws -> String {
    let allowed = Set("0123456789.+- ,")
    guard let kind = spec.last, "fFeEgGd%".contains(kind), spec.dropLast().allSatisfy({ allowed.contains($0) }) else {
        throw PyException.valueError("Soma formats tensors with numeric specs only (like .3f, .2e, d, .1%), not '\(spec)'")
    }
    let body = String(spec.dropLast()).replacingOccurrences(of: ",", with: "")
    switch kind {
    case "d":
        guard case .int(let i) = s else { throw PyException.valueError("Unknown format code 'd' for object of type 'float'") }
        return String(format: "%" + body + "ld", i)
    case "%": return String(format: "%" + (body.contains(".") ? body : body + ".6") + "f", s.double * 100) + "%"
    default: return String(format: "%" + body + String(kind), s.double)
    }
}
