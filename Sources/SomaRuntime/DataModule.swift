import SomaNN
import SomaScript
import SomaTensor

/// `soma.utils.data`, `soma.datasets` and `soma.transforms`.
enum DataModule {
    // MARK: samples

    /// A language value as a data sample.
    static func sample(_ v: Value) throws -> Sample {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .str(let s): return .string(s)
        case .object(let o):
            if let t = o as? PyTensor { return .tensor(t.tensor) }
            if let i = o as? PyImage { return .image(i.image) }
            if let t = o as? PyTuple { return .tuple(try t.items.map(sample)) }
            if let l = o as? PyList { return .list(try l.items.map(sample)) }
            if let d = o as? PyDict { return .dict(try d.entries.map { (try $0.key.asString(), try sample($0.value)) }) }
            throw PyException.typeError("default_collate: batch must contain tensors, numbers, dicts or lists; found \(v.typeName)")
        }
    }

    /// A data sample as a language value.
    static func value(_ s: Sample) -> Value {
        switch s {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .float(d)
        case .string(let str): return .str(str)
        case .tensor(let t): return wrap(t)
        case .image(let i): return .object(PyImage(i))
        case .tuple(let items): return .object(PyTuple(items.map(value)))
        case .list(let items): return .object(PyList(items.map(value)))
        case .dict(let pairs):
            let d = PyDict()
            for (k, v) in pairs { try? d.set(.str(k), value(v)) }
            return .object(d)
        }
    }

    // MARK: datasets

    final class PyDataset: PyObject {
        var dataset: Dataset?
        func require() throws -> Dataset {
            guard let dataset else { throw PyException.runtimeError("dataset is not initialised") }
            return dataset
        }
    }

    /// A data set written in the language (`__len__` and `__getitem__` come from the language class), or any
    /// sequence with a length (a list, a range), as PyTorch's `random_split` and `Subset` accept them.
    final class ScriptDataset: Dataset {
        private weak var owner: PyDataset?
        private let sequence: Value?
        unowned let interp: Interpreter
        init(owner: PyDataset, interp: Interpreter) {
            self.owner = owner
            sequence = nil
            self.interp = interp
        }
        init(sequence: Value, interp: Interpreter) {
            self.sequence = sequence
            self.interp = interp
        }
        private func target() throws -> Value {
            if let sequence { return sequence }
            guard let owner else { throw PyException.runtimeError("the dataset object no longer exists") }
            return .object(owner)
        }
        override var count: Int {
            get throws { try interp.length(try target()) }
        }
        override func item(at index: Int) throws -> Sample {
            try sample(try interp.getItem(try target(), .int(index)))
        }
    }

    static func dataset(_ v: Value, _ interp: Interpreter) throws -> Dataset {
        if let d = v.as(PyDataset.self) {
            if d.dataset == nil { d.dataset = ScriptDataset(owner: d, interp: interp) }
            return try d.require()
        }
        guard (try? interp.length(v)) != nil else { throw PyException.typeError("expected a Dataset, got \(v.typeName)") }
        return ScriptDataset(sequence: v, interp: interp)
    }

    static let datasetBase: PyType = {
        let t = PyType.nativeClass("Dataset", module: "soma.utils.data") { PyDataset(type: $0, hasDict: true) }
        t.def("__init__", [], varArgs: true, varKeywords: true) { interp, v, _ in
            let d = v.as(PyDataset.self)!
            if d.dataset == nil { d.dataset = ScriptDataset(owner: d, interp: interp) }
            return .none
        }
        return t
    }()

    /// A built-in data set class with native `__len__`/`__getitem__`.
    static func nativeDatasetType(_ name: String, module: String, _ params: [String], defaults: [String: Value] = [:], varArgs: Bool = false,
                                  keywordOnly: [String] = [], _ make: @escaping (Interpreter, [Value]) throws -> Dataset) -> PyType {
        let t = PyType.nativeClass(name, module: module, base: datasetBase) { PyDataset(type: $0, hasDict: true) }
        t.def("__init__", params, defaults: defaults, keywordOnly: keywordOnly, varArgs: varArgs) { interp, v, a in
            v.as(PyDataset.self)!.dataset = try make(interp, a)
            return .none
        }
        t.def("__len__") { _, v, _ in .int(try v.as(PyDataset.self)!.require().count) }
        t.def("__getitem__", ["index"]) { _, v, a in value(try v.as(PyDataset.self)!.require()[try a[0].integer("index")]) }
        return t
    }

    static func transform(_ v: Value, _ interp: Interpreter) -> Transform? {
        if v.isNone { return nil }
        if let t = v.as(PyTransform.self) { return t.transform }
        return Lambda { try sample(try interp.call(v, [value($0)])) }
    }

    static func buildUtilsData(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.utils.data")
        m["Dataset"] = .object(datasetBase)
        let tensorDataset = nativeDatasetType("TensorDataset", module: "soma.utils.data", [], varArgs: true) { _, a in
            try TensorDataset(try a[0].sequenceItems()!.map { try tensorOnly($0, "TensorDataset argument") })
        }
        tensorDataset.prop("tensors") { v in
            .object(PyTuple((try v.as(PyDataset.self)!.require() as! TensorDataset).tensors.map(wrap)))
        }
        m["TensorDataset"] = .object(tensorDataset)
        let subsetType = nativeDatasetType("Subset", module: "soma.utils.data", ["dataset", "indices"]) { interp, a in
            Subset(try dataset(a[0], interp), indices: try interp.iterate(a[1]).map { try $0.integer("index") })
        }
        let nativeInit = subsetType.dict["__init__"]!
        subsetType.def("__init__", ["dataset", "indices"]) { interp, v, a in
            _ = try interp.call(nativeInit, [v] + a)
            v.as(PyDataset.self)!.attributes?["dataset"] = a[0]
            return .none
        }
        subsetType.prop("indices") { v in .object(PyList((try v.as(PyDataset.self)!.require() as! Subset).indices.map { .int($0) })) }
        m["Subset"] = .object(subsetType)
        m.def("random_split", ["dataset", "lengths", "generator"], defaults: ["generator": .none]) { interp, a in
            let d = try dataset(a[0], interp)
            let g = a[2].as(PyGenerator.self)?.generator ?? .global
            let lengths = try interp.iterate(a[1])
            let parts: [Subset]
            if lengths.allSatisfy({ if case .int = $0 { return true } else { return false } }) {
                parts = try randomSplit(d, lengths: try lengths.map { try $0.integer("length") }, generator: g)
            } else {
                parts = try randomSplit(d, try lengths.map { try $0.number("length") }, generator: g)
            }
            let subsetType = try interp.getAttribute(.object(m), "Subset").as(PyType.self)!
            return .object(PyList(parts.map { s in
                let o = PyDataset(type: subsetType, hasDict: true)
                o.dataset = s
                o.attributes?["dataset"] = a[0]
                return .object(o)
            }))
        }
        m["DataLoader"] = .object(loaderType)
        return m
    }

    // MARK: loader

    final class PyLoader: PyObject {
        var loader: DataLoader?
        func require() throws -> DataLoader {
            guard let loader else { throw PyException.runtimeError("DataLoader is not initialised (call DataLoader.__init__)") }
            return loader
        }
    }

    static let loaderType: PyType = {
        let t = PyType.nativeClass("DataLoader", module: "soma.utils.data") { PyLoader(type: $0, hasDict: true) }
        t.def("__init__", ["dataset", "batch_size", "shuffle", "sampler", "batch_sampler", "num_workers", "collate_fn", "pin_memory", "drop_last"],
              defaults: ["batch_size": .int(1), "shuffle": .bool(false), "sampler": .none, "batch_sampler": .none, "num_workers": .int(0),
                         "collate_fn": .none, "pin_memory": .bool(false), "drop_last": .bool(false), "generator": .none],
              keywordOnly: ["generator"]) { interp, v, a in
            guard a[3].isNone && a[4].isNone else { throw PyException.make("NotImplementedError", "samplers are not supported in Soma's DataLoader") }
            let collate: (([Sample]) throws -> Sample)? = a[6].isNone ? nil : { batch in
                try sample(try interp.call(a[6], [.object(PyList(batch.map(value)))]))
            }
            v.as(PyLoader.self)!.loader = try DataLoader(try dataset(a[0], interp), batchSize: try a[1].optionalInteger("batch_size"),
                                                          shuffle: a[2].truthy, dropLast: a[8].truthy,
                                                          generator: a[9].as(PyGenerator.self)?.generator, collate: collate)
            // Keeps the data set object alive (a language Dataset is only weakly held by its Swift side).
            v.as(PyLoader.self)!.attributes?["dataset"] = a[0]
            return .none
        }
        t.def("__iter__") { _, v, _ in
            let it = try v.as(PyLoader.self)!.require().makeIterator()
            return .object(PyIterator { try pyTry { try it.nextBatch().map(value) } })
        }
        t.def("__len__") { _, v, _ in .int(try v.as(PyLoader.self)!.require().count) }
        t.prop("batch_size") { v in try v.as(PyLoader.self)!.require().batchSize.map { .int($0) } ?? .none }
        return t
    }()

    // MARK: torchvision-like modules

    static func buildDatasets(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.datasets")
        for (name, fashion) in [("MNIST", false), ("FashionMNIST", true)] {
            let t = nativeDatasetType(name, module: "soma.datasets", ["root", "train", "transform", "target_transform", "download"],
                                      defaults: ["root": .none, "train": .bool(true), "transform": .none, "target_transform": .none,
                                                 "download": .bool(false)]) { interp, a in
                let root: String? = a[0].isNone ? nil : try a[0].asString()
                let kind: MNIST.Type = fashion ? FashionMNIST.self : MNIST.self
                return try kind.init(root: root, train: a[1].truthy, transform: transform(a[2], interp), targetTransform: transform(a[3], interp))
            }
            t.prop("targets") { wrap((try $0.as(PyDataset.self)!.require() as! MNIST).targets) }
            t.prop("data") { wrap(try (try $0.as(PyDataset.self)!.require() as! MNIST).data) }
            t.prop("classes") { .object(PyList((try $0.as(PyDataset.self)!.require() as! MNIST).classes.map { .str($0) })) }
            m[name] = .object(t)
        }
        let folder = nativeDatasetType("ImageFolder", module: "soma.datasets", ["root", "transform", "target_transform"],
                                       defaults: ["transform": .none, "target_transform": .none]) { interp, a in
            try ImageFolder(root: try a[0].asString(), transform: transform(a[1], interp), targetTransform: transform(a[2], interp))
        }
        folder.prop("classes") { .object(PyList((try $0.as(PyDataset.self)!.require() as! ImageFolder).classes.map { .str($0) })) }
        folder.prop("class_to_idx") { v in
            let d = PyDict()
            for (k, i) in (try v.as(PyDataset.self)!.require() as! ImageFolder).classToIdx.sorted(by: { $0.value < $1.value }) {
                try d.set(.str(k), .int(i))
            }
            return .object(d)
        }
        folder.prop("targets") { .object(PyList((try $0.as(PyDataset.self)!.require() as! ImageFolder).targets.map { .int($0) })) }
        m["ImageFolder"] = .object(folder)
        m["CSVDataset"] = .object(nativeDatasetType("CSVDataset", module: "soma.datasets", ["path", "target"], defaults: ["target": .none]) { _, a in
            try CSVDataset(try a[0].asString(), target: a[1].isNone ? nil : try a[1].asString())
        })
        return m
    }

    final class PyTransform: PyObject {
        var transform: Transform = Transform()
    }

    static func buildTransforms(_ interp: Interpreter) throws -> PyModule {
        let m = PyModule(name: "soma.transforms")
        let base = PyType.nativeClass("Transform", module: "soma.transforms")
        base.def("__call__", ["input"]) { _, v, a in value(try v.as(PyTransform.self)!.transform.apply(try sample(a[0]))) }
        base.def("__repr__") { _, v, _ in .str(v.as(PyTransform.self)!.transform.description) }
        func define(_ name: String, _ params: [String], defaults: [String: Value] = [:], _ make: @escaping (Interpreter, [Value]) throws -> Transform) {
            let t = PyType.nativeClass(name, module: "soma.transforms", base: base) { PyTransform(type: $0) }
            t.def("__init__", params, defaults: defaults) { interp, v, a in
                v.as(PyTransform.self)!.transform = try make(interp, a)
                return .none
            }
            m[name] = .object(t)
        }
        func sizes(_ v: Value) throws -> [Int] { try (v.sequenceItems() ?? [v]).map { try $0.integer("size") } }
        define("Compose", ["transforms"]) { interp, a in Compose(try interp.iterate(a[0]).map { transform($0, interp)! }) }
        define("ToTensor", []) { _, _ in ToTensor() }
        define("ToPILImage", []) { _, _ in ToPILImage() }
        define("Normalize", ["mean", "std"]) { _, a in
            try Normalize(mean: try (a[0].sequenceItems() ?? [a[0]]).map { try $0.number("mean") },
                          std: try (a[1].sequenceItems() ?? [a[1]]).map { try $0.number("std") })
        }
        define("Resize", ["size"]) { _, a in try Resize(try sizes(a[0])) }
        define("CenterCrop", ["size"]) { _, a in try CenterCrop(try sizes(a[0])) }
        define("RandomHorizontalFlip", ["p"], defaults: ["p": .float(0.5)]) { _, a in RandomHorizontalFlip(p: try a[0].number("p")) }
        define("RandomCrop", ["size", "padding"], defaults: ["padding": .none]) { _, a in
            try RandomCrop(try sizes(a[0]), padding: a[1].isNone ? nil : try sizes(a[1]))
        }
        define("Lambda", ["lambd"]) { interp, a in Lambda { try sample(try interp.call(a[0], [value($0)])) } }
        return m
    }
}

/// An image as a language value (what torchvision gives as a PIL image).
final class PyImage: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("Image", module: "soma.datasets")
        t.prop("size") { v in
            let i = v.as(PyImage.self)!.image
            return .object(PyTuple([.int(i.width), .int(i.height)]))
        }
        t.prop("mode") { .str($0.as(PyImage.self)!.image.mode) }
        t.def("__repr__") { _, v, _ in
            let i = v.as(PyImage.self)!.image
            return .str("<Image mode=\(i.mode) size=\(i.width)x\(i.height)>")
        }
        t.def("save", ["path"]) { _, v, a in try v.as(PyImage.self)!.image.save(try a[0].asString()); return .none }
        return t
    }()
    let image: Image
    init(_ image: Image) {
        self.image = image
        super.init(type: PyImage.type)
    }
}
