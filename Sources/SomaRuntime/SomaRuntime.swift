import SomaNN
import SomaScript
import SomaTensor

/// Where the language meets the tensor world: registers `soma` and its submodules in an interpreter,
/// so that PyTorch tutorial code runs after changing only its imports (`import soma as torch`).
public enum SomaRuntime {
    /// The modules `soma` provides, by dotted name.
    static let modules: [(String, (Interpreter) throws -> PyModule)] = [
        ("soma", TorchModule.build),
        ("soma.nn", NNModule.build),
        ("soma.nn.functional", FunctionalModule.build),
        ("soma.nn.init", FunctionalModule.buildInit),
        ("soma.optim", OptimModule.build),
        ("soma.optim.lr_scheduler", OptimModule.buildSchedulers),
        ("soma.utils", { _ in PyModule(name: "soma.utils") }),
        ("soma.utils.data", DataModule.buildUtilsData),
        ("soma.datasets", DataModule.buildDatasets),
        ("soma.transforms", DataModule.buildTransforms),
        ("soma.cuda", { _ in
            let m = PyModule(name: "soma.cuda")
            m.def("is_available") { _, _ in .bool(false) }
            m.def("device_count") { _, _ in .int(0) }
            m.def("manual_seed", ["seed"]) { _, _ in .none }
            m.def("manual_seed_all", ["seed"]) { _, _ in .none }
            return m
        }),
    ]

    /// Makes `import soma ...` available in `interp`.
    public static func install(into interp: Interpreter) {
        for (name, build) in modules { interp.registerModule(name, build) }
    }
}
