import Foundation

/// Runs a generator's body on its own thread, handing control back and forth at each `yield`.
final class GeneratorRunner: @unchecked Sendable {
    private let toGenerator = DispatchSemaphore(value: 0)
    private let toCaller = DispatchSemaphore(value: 0)
    private var body: (() throws -> Value)?
    private var started = false
    private(set) var finished = false
    private var sent: Value = .none
    private var yielded: Value = .none
    private var returned: Value = .none
    private var failure: Error?
    private var thrownIn: PyException?
    /// True while the body is running (a generator may not resume itself).
    private(set) var running = false

    init(body: @escaping () throws -> Value) { self.body = body }

    /// Resumes the body with `send` (or throws `exception` into it); returns the next yielded value, or nil at the end.
    func resume(send: Value = .none, throwing exception: PyException? = nil) throws -> Value? {
        if finished { return nil }
        if running { throw PyException.make("ValueError", "generator already executing") }
        if !started {
            if let e = exception { finished = true; body = nil; throw e }
            started = true
            running = true
            let thread = Thread { [self] in self.run() }
            thread.stackSize = 64 << 20
            thread.start()
        } else {
            sent = send
            thrownIn = exception
            running = true
            toGenerator.signal()
        }
        toCaller.wait()
        running = false
        if let e = failure { failure = nil; throw e }
        return finished ? nil : yielded
    }

    /// The value of the body's `return` once finished.
    var returnValue: Value { returned }

    private func run() {
        do {
            returned = try body!()
        } catch {
            if let p = error as? PyException, p.isInstance(of: "GeneratorExit") {
                // closing a suspended generator ends it quietly
            } else if let p = error as? PyException, p.isInstance(of: "StopIteration") {
                failure = PyException.runtimeError("generator raised StopIteration")
            } else {
                failure = error
            }
        }
        body = nil
        finished = true
        toCaller.signal()
    }

    /// Called on the generator's thread by `yield`: hands `value` out and waits for the next resume.
    func yieldValue(_ value: Value) throws -> Value {
        yielded = value
        toCaller.signal()
        toGenerator.wait()
        if let e = thrownIn { thrownIn = nil; throw e }
        return sent
    }

    /// Ends a suspended generator by raising GeneratorExit inside it.
    func close() {
        guard started && !finished else { finished = true; return }
        _ = try? resume(throwing: PyException(type: Types.exception("GeneratorExit")))
    }
}

/// A generator object returned by calling a generator function or evaluating a generator expression.
public final class PyGenerator: PyObject {
    let runner: GeneratorRunner
    let name: String

    init(name: String, runner: GeneratorRunner) {
        self.runner = runner; self.name = name
        super.init(type: Types.generator)
    }

    /// The next value, or nil when the generator is exhausted.
    func next(send: Value = .none) throws -> Value? { try runner.resume(send: send) }

    deinit { runner.close() }
}
