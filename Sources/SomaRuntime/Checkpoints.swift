import SomaNN
import SomaScript
import SomaTensor

/// `torch.save` / `torch.load` of state dicts and nested objects, as safetensors files.
enum Checkpoints {
    static func save(_ v: Value, to path: String, _ interp: Interpreter) throws {
        try pyTry { try Checkpoint.save(try checkpointValue(v), to: path) }
    }

    static func load(_ path: String, _ interp: Interpreter) throws -> Value {
        try pyTry { value(try Checkpoint.loadValue(path)) }
    }

    /// A language value as a checkpoint value: tensors, numbers, strings, None, lists, tuples, dicts.
    static func checkpointValue(_ v: Value) throws -> CheckpointValue {
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .double(d)
        case .str(let s): return .string(s)
        case .object(let o):
            if let t = o as? PyTensor { return .tensor(t.tensor) }
            if let l = o as? PyList { return .list(try l.items.map(checkpointValue)) }
            if let t = o as? PyTuple { return .tuple(try t.items.map(checkpointValue)) }
            if let d = o as? PyDict { return .dict(try d.entries.map { (try checkpointValue($0.0), try checkpointValue($0.1)) }) }
            throw PyException.typeError("torch.save: cannot save an object of type '\(v.typeName)' (Soma saves tensors, numbers, strings, lists, tuples and dicts, e.g. model.state_dict())")
        }
    }

    /// A checkpoint value as a language value.
    static func value(_ c: CheckpointValue) -> Value {
        switch c {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .float(d)
        case .string(let s): return .str(s)
        case .tensor(let t): return wrap(t)
        case .list(let items): return .object(PyList(items.map(value)))
        case .tuple(let items): return .object(PyTuple(items.map(value)))
        case .dict(let pairs):
            let d = PyDict()
            for (k, v) in pairs { try? d.set(value(k), value(v)) }
            return .object(d)
        }
    }
}
