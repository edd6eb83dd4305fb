/// MIME bundles of values and the `display` built-in.
extension Interpreter {
    /// The MIME bundle of a value: `text/plain` always, plus what `_repr_mimebundle_`, `_repr_html_`, `_repr_svg_` give.
    public func mimeBundle(_ v: Value) throws -> [String: String] {
        var bundle: [String: String] = [:]
        if case .object(let o) = v, !(o is PyType) {
            if let m = o.pyType.lookup("_repr_mimebundle_"), let d = try call(m, [v]).as(PyDict.self) {
                for (k, x) in d.entries { if case .str(let key) = k, case .str(let text) = x { bundle[key] = text } }
            }
            for (method, mime) in [("_repr_html_", "text/html"), ("_repr_svg_", "image/svg+xml"), ("_repr_markdown_", "text/markdown")]
                where bundle[mime] == nil {
                if let m = o.pyType.lookup(method), case .str(let text) = try call(m, [v]) { bundle[mime] = text }
            }
        }
        if bundle["text/plain"] == nil { bundle["text/plain"] = try repr(v) }
        return bundle
    }

    /// A display id not used before in this session, for output that is later updated in place.
    public func newDisplayID() -> String {
        displayCounter += 1
        return "soma-display-\(displayCounter)"
    }

    /// Registers code to run after each notebook cell (IPython's post_execute event), e.g. showing a figure the cell drew.
    public func addPostCellHook(_ hook: @escaping (Interpreter) throws -> Void) { postCellHooks.append(hook) }

    /// Runs the post-cell hooks; a notebook host calls this after each cell, a script runner does not.
    public func runPostCellHooks() throws {
        for hook in postCellHooks { try hook(self) }
    }

    /// `display(*objs, display_id=None)`: sends each object's bundle to the sink; returns a handle when asked for an id.
    func display(_ args: Arguments) throws -> Value {
        var id: String?
        if let d = args.keyword("display_id") {
            switch d {
            case .bool(true):
                id = newDisplayID()
            case .str(let s): id = s
            default: break
            }
        }
        for v in args.positional { output.display(try mimeBundle(v), displayID: id, update: false) }
        guard let displayID = id else { return .none }
        return .object(DisplayHandle(displayID))
    }
}

/// The handle `display(x, display_id=True)` returns; `handle.update(y)` replaces that output in place.
final class DisplayHandle: PyObject {
    static let type: PyType = {
        let t = PyType.nativeClass("DisplayHandle", module: "soma.display")
        t.addMethod("update", signature: "(obj)") { interp, receiver, args in
            let v = try args.expect("update", min: 1, max: 1)[0]
            interp.output.display(try interp.mimeBundle(v), displayID: receiver.as(DisplayHandle.self)!.id, update: true)
            return .none
        }
        t.addMethod("display", signature: "(obj)") { interp, receiver, args in
            let v = try args.expect("display", min: 1, max: 1)[0]
            interp.output.display(try interp.mimeBundle(v), displayID: receiver.as(DisplayHandle.self)!.id, update: false)
            return .none
        }
        t.addProperty("display_id") { _, receiver in .str(receiver.as(DisplayHandle.self)!.id) }
        return t
    }()

    let id: String
    init(_ id: String) { self.id = id; super.init(type: DisplayHandle.type) }
}
