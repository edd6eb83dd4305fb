import ArgumentParser
import Foundation
import SomaRuntime
import SomaScript

/// `soma run FILE [ARGS...]`: runs a program, printing to stdout/stderr; exits 1 with the traceback on an uncaught error.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a Soma program file.")

    @Argument(help: "The program to run.")
    var file: String

    @Argument(parsing: .captureForPassthrough, help: "Arguments passed to the program as sys.argv[1:].")
    var arguments: [String] = []

    func run() throws {
        guard let source = try? String(contentsOfFile: file, encoding: .utf8) else {
            FileHandle.standardError.write(Data("soma: can't open file '\(file)': No such file or directory\n".utf8))
            throw ExitCode(2)
        }
        let interp = Interpreter(argv: [file] + arguments)
        SomaRuntime.install(into: interp)
        signal(SIGINT, SIG_IGN)
        let source2 = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source2.setEventHandler { interp.interrupt() }
        source2.resume()
        do {
            _ = try interp.execute(source, cellName: file)
        } catch {
            if case ScriptError.exception(let e) = error, e.pyType.name == "SystemExit" {
                let code = e.args.first
                if case .int(let n)? = code { throw ExitCode(Int32(truncatingIfNeeded: n)) }
                if let c = code, !c.isNone { interp.output.write((try? interp.str(c)) ?? "" + "\n", to: .stderr); throw ExitCode(1) }
                return
            }
            interp.output.write(interp.formatError(error), to: .stderr)
            throw ExitCode(1)
        }
    }
}
