import Foundation
import SomaTensor

/// Optimizer state dicts in safetensors checkpoints: buffers as tensors named `state.<index>.<buffer>`,
/// step counts and `param_groups` as JSON in `__metadata__` (safetensors metadata holds strings only).
extension OptimizerState {
    /// The state as checkpoint tensors and metadata.
    public func checkpointEntries() throws -> (tensors: [(String, Tensor)], metadata: [String: String]) {
        var tensors: [(String, Tensor)] = []
        var steps: [String: Int] = [:]
        for (index, entry) in state.sorted(by: { $0.key < $1.key }) {
            steps[String(index)] = entry.step
            for (name, t) in entry.buffers.sorted(by: { $0.key < $1.key }) { tensors.append(("state.\(index).\(name)", t)) }
        }
        // Options as [key, kind, values...]: JSON alone cannot tell the flag false from the number 0 here.
        let groups: [[String: Any]] = self.groups.map { g in
            let options: [[Any]] = g.options.map { key, value in
                switch value {
                case .number(let d): return [key, "number", d]
                case .integer(let i): return [key, "integer", i]
                case .flag(let b): return [key, "flag", b ? 1 : 0]
                case .pair(let a, let b): return [key, "pair", a, b]
                case .none: return [key, "none"]
                }
            }
            return ["params": g.params, "options": options]
        }
        let json = try JSONSerialization.data(withJSONObject: ["param_groups": groups, "steps": steps], options: [.sortedKeys])
        return (tensors, ["optimizer": String(decoding: json, as: UTF8.self)])
    }

    /// Rebuilds a state saved by `checkpointEntries()`.
    public init(checkpoint tensors: [(String, Tensor)], metadata: [String: String]) throws {
        guard let text = metadata["optimizer"], let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let groups = object["param_groups"] as? [[String: Any]], let steps = object["steps"] as? [String: Int] else {
            throw NNError(.value, "checkpoint does not hold an optimizer state dict (no 'optimizer' metadata)")
        }
        var state: [Int: (step: Int, buffers: [String: Tensor])] = [:]
        for (key, step) in steps {
            guard let i = Int(key) else { continue }
            state[i] = (step, [:])
        }
        for (name, t) in tensors {
            let parts = name.split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, parts[0] == "state", let i = Int(parts[1]) else {
                throw NNError(.value, "unexpected tensor '\(name)' in an optimizer checkpoint")
            }
            state[i, default: (0, [:])].buffers[parts[2]] = t
        }
        self.state = state
        self.groups = try groups.map { g in
            guard let params = g["params"] as? [Int], let raw = g["options"] as? [[Any]] else {
                throw NNError(.value, "malformed param_groups in an optimizer checkpoint")
            }
            let options: [(key: String, value: HyperParameter)] = try raw.map { entry in
                guard entry.count >= 2, let key = entry[0] as? String, let kind = entry[1] as? String else {
                    throw NNError(.value, "malformed param_groups in an optimizer checkpoint")
                }
                let numbers = entry.dropFirst(2).compactMap { ($0 as? NSNumber)?.doubleValue }
                switch (kind, numbers.count) {
                case ("number", 1): return (key, .number(numbers[0]))
                case ("integer", 1): return (key, .integer(Int(numbers[0])))
                case ("flag", 1): return (key, .flag(numbers[0] != 0))
                case ("pair", 2): return (key, .pair(numbers[0], numbers[1]))
                default: return (key, .none)
                }
            }
            return (options, params)
        }
    }
}
