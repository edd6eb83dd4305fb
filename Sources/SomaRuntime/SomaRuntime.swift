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
        ("soma.plot", PlotModule.build),
        ("soma.cuda", { _ in
            let m = PyModule(name: "soma.cuda")
            m.def("is_available") { _, _ in .bool(false) }
            m.def("device_count") { _, _ in .int(0) }
            m.def("manual_seed", ["seed"]) { _, _ in .none }
            m.def("manual_seed_all", ["seed"]) { _, _ in .none }
            return m
        }),
    ]

    /// Makes `import soma ...` available in `interp`. As in PyTorch, `import soma` alone also gives
    /// `soma.nn`, `soma.optim`, `soma.cuda`, ...: each submodule is built once and shared.
    public static func install(into interp: Interpreter) {
        let cache = ModuleCache()
        for (name, build) in modules {
            interp.registerModule(name) { interp in
                if let m = cache.built[name] { return m }
                let m = try build(interp)
                cache.built[name] = m
                if name == "soma" {
                    for (child, _) in modules where child != "soma" {
                        let parts = child.split(separator: ".").map(String.init)
                        var parent = m
                        for depth in 1..<parts.count {
                            let path = parts[0...depth].joined(separator: ".")
                            let sub = try interp.importModule(path)
                            if parent[parts[depth]] == nil { parent[parts[depth]] = .object(sub) }
                            parent = sub
                        }
                    }
                }
                return m
            }
        }
    }

    private final class ModuleCache { var built: [String: PyModule] = [:] }
}
