import SomaScript
import XCTest

/// The Swift object behind a test `Box`: a number that native operators read and mutate.
final class BoxObject: PyObject {
    var value: Double = 0
}

/// The Swift object behind a test `Module`: children registered through the `__setattr__` hook.
final class ModuleObject: PyObject {
    var children: [String] = []
}

/// A test-only native module exercising every extension point SomaRuntime will use.
enum TestLibrary {
    static func box(_ v: Value) -> BoxObject? { v.as(BoxObject.self) }

    static func install(_ interp: Interpreter) {
        interp.registerModule("testlib") { _ in
            let m = PyModule(name: "testlib")
            m.addFunction("scale", signature: "(x, factor=2, *, offset=0)") { _, args in
                let b = try ParameterList("scale", ["x", "factor"], defaults: ["factor": .int(2), "offset": .int(0)],
                                          keywordOnly: ["offset"]).bind(args)
                return .float(try b[0].asDouble() * b[1].asDouble() + b[2].asDouble())
            }
            let boxType = PyType.nativeClass("Box", module: "testlib", doc: "A boxed number.") { t in
                let o = BoxObject(type: t, hasDict: true)
                return o
            }
            boxType.addMethod("__init__") { _, me, args in
                box(me)!.value = try (args.positional.first ?? .float(0)).asDouble()
                return .none
            }
            func make(_ d: Double) -> Value {
                let o = BoxObject(type: boxType, hasDict: true)
                o.value = d
                return .object(o)
            }
            func operand(_ v: Value) throws -> Double { try box(v)?.value ?? v.asDouble() }
            boxType.addMethod("__add__") { _, me, args in make(box(me)!.value + (try operand(args.positional[0]))) }
            boxType.addMethod("__radd__") { _, me, args in make(try operand(args.positional[0]) + box(me)!.value) }
            boxType.addMethod("__iadd__") { _, me, args in box(me)!.value += try operand(args.positional[0]); return me }
            boxType.addMethod("__matmul__") { _, me, args in make(box(me)!.value * (try operand(args.positional[0]))) }
            boxType.addMethod("__neg__") { _, me, _ in make(-box(me)!.value) }
            boxType.addMethod("__lt__") { _, me, args in .bool(box(me)!.value < (try operand(args.positional[0]))) }
            boxType.addMethod("__eq__") { _, me, args in .bool(box(me)!.value == (try? operand(args.positional[0]))) }
            boxType.addMethod("__len__") { _, me, _ in .int(Int(box(me)!.value)) }
            boxType.addMethod("__bool__") { _, me, _ in .bool(box(me)!.value != 0) }
            boxType.addMethod("__float__") { _, me, _ in .float(box(me)!.value) }
            boxType.addMethod("__int__") { _, me, _ in .int(Int(box(me)!.value)) }
            boxType.addMethod("__iter__") { _, me, _ in
                var i = 0
                let n = Int(box(me)!.value)
                return .object(PyIterator { i < n ? { i += 1; return .int(i - 1) }() : nil })
            }
            boxType.addMethod("__getitem__") { interp, _, args in .str("get " + (try interp.repr(args.positional[0]))) }
            boxType.addMethod("__setitem__") { interp, me, args in
                try interp.setAttribute(me, "last_set", .str(try interp.repr(args.positional[0]) + " = " + interp.repr(args.positional[1])))
                return .none
            }
            boxType.addMethod("__repr__") { _, me, _ in .str("Box(\(box(me)!.value))") }
            boxType.addMethod("__str__") { _, me, _ in .str("box of \(box(me)!.value)") }
            boxType.addMethod("__enter__") { _, me, _ in box(me)!.value += 100; return me }
            boxType.addMethod("__exit__") { _, me, _ in box(me)!.value -= 100; return .bool(false) }
            boxType.addMethod("_repr_mimebundle_") { _, me, _ in
                let d = PyDict()
                try d.set("text/html", .str("<b>\(box(me)!.value)</b>"))
                return .object(d)
            }
            boxType.addProperty("value", get: { _, me in .float(box(me)!.value) }, set: { _, me, v in box(me)!.value = try v.asDouble() })
            m["Box"] = .object(boxType)
            return m
        }
        interp.registerModule("testlib.nn") { _ in
            let m = PyModule(name: "testlib.nn")
            let module = PyType.nativeClass("Module", module: "testlib.nn") { ModuleObject(type: $0, hasDict: true) }
            module.addMethod("__init__") { _, _, _ in .none }
            module.addMethod("__setattr__") { interp, me, args in
                let name = try args.positional[0].asString(), value = args.positional[1]
                if value.type.isSubtype(of: module), let o = me.as(ModuleObject.self) { o.children.append(name) }
                try interp.genericSetAttribute(me, name, value)
                return .none
            }
            module.addMethod("__call__") { interp, me, args in try interp.callMethod(me, "forward", args.positional, args.keywords) }
            module.addMethod("children") { _, me, _ in .object(PyList(me.as(ModuleObject.self)!.children.map { .str($0) })) }
            let linear = PyType.nativeClass("Linear", module: "testlib.nn", base: module) { ModuleObject(type: $0, hasDict: true) }
            linear.addMethod("__init__") { interp, me, args in
                let b = try ParameterList("Linear", ["in_features", "out_features", "bias"], defaults: ["bias": .bool(true)]).bind(args)
                try interp.genericSetAttribute(me, "shape", .object(PyTuple([b[1], b[0]])))
                return .none
            }
            linear.addMethod("forward") { interp, _, args in try interp.binary(.mul, args.positional[0], .int(10)) }
            m["Module"] = .object(module)
            m["Linear"] = .object(linear)
            let dataset = PyType.nativeClass("Dataset", module: "testlib.nn")
            m["Dataset"] = .object(dataset)
            m.addFunction("total", signature: "(dataset)") { interp, args in
                let ds = args.positional[0]
                var sum = Value.int(0)
                for i in 0..<(try interp.length(ds)) { sum = try interp.binary(.add, sum, try interp.getItem(ds, .int(i))) }
                return sum
            }
            return m
        }
    }
}

final class NativeModuleTests: XCTestCase {
    func run(_ source: String) throws -> (String, Interpreter, BufferOutputSink) {
        let sink = BufferOutputSink()
        let interp = Interpreter(output: sink)
        TestLibrary.install(interp)
        do { _ = try interp.execute(source, cellName: "test") } catch { XCTFail(interp.formatError(error)) }
        return (sink.stdout, interp, sink)
    }

    func testNativeFunctionsBindArgumentsWithPythonErrors() throws {
        let (out, _, _) = try run("""
        import testlib
        from testlib import scale as s
        print(s(3), s(3, 4), s(x=1, factor=3, offset=1))
        for call in [lambda: s(), lambda: s(1, 2, 3), lambda: s(1, bogus=2), lambda: s(1, x=2)]:
            try:
                call()
            except TypeError as e:
                print(e)
        """)
        XCTAssertEqual(out, """
        6.0 12.0 4.0
        scale() missing 1 required positional argument: 'x'
        scale() takes from 1 to 2 positional arguments but 3 were given
        scale() got an unexpected keyword argument 'bogus'
        scale() got multiple values for argument 'x'

        """)
    }

    func testNativeClassOperatorsAndProtocols() throws {
        let (out, interp, sink) = try run("""
        from testlib import Box
        b = Box(3)
        c = b + 1
        d = 2 + b
        b += 10
        print(b, repr(c), d, -b, b @ 2, c < d, b == 13, len(b), bool(Box(0)), float(c), int(c), list(Box(3)))
        print(b[1:2, ..., None], b[0], b.value)
        b[:, 0] = 5
        print(b.last_set)
        b.value = 1.5
        with b as inner:
            print(inner.value)
        print(b.value)
        display(b)
        """)
        XCTAssertEqual(out, """
        box of 13.0 Box(4.0) box of 5.0 box of -13.0 box of 26.0 True True 13 False 4.0 4 [0, 1, 2]
        get (slice(1, 2, None), Ellipsis, None) get 0 13.0
        (slice(None, None, None), 0) = 5
        101.5
        1.5

        """)
        XCTAssertEqual(sink.displays.first?["text/html"], "<b>1.5</b>")
        XCTAssertEqual(sink.displays.first?["text/plain"], "Box(1.5)")
        XCTAssertEqual(try interp.mimeBundle(interp.globals["b"]!)["text/html"], "<b>1.5</b>")
    }

    func testSomaClassInheritsFromNativeClass() throws {
        let (out, interp, _) = try run("""
        import testlib.nn as nn
        from testlib.nn import Dataset, total
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc = nn.Linear(2, 3)
                self.scale = 2
            def forward(self, x):
                return self.fc(x) * self.scale
        model = Net()
        print(model(4), model.children(), model.fc.shape, isinstance(model, nn.Module), type(model).__name__)
        class Squares(Dataset):
            def __len__(self):
                return 4
            def __getitem__(self, i):
                return i * i
        print(total(Squares()))
        """)
        XCTAssertEqual(out, "80 ['fc'] (3, 2) True Net\n14\n")
        XCTAssertNotNil(interp.globals["model"]?.as(PyObject.self))
    }
}
