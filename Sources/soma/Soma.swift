import ArgumentParser

/// The `soma` command: runs Soma programs (and, later, the Jupyter kernel).
@main
struct Soma: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "soma",
        abstract: "Soma: a Python-flavoured language for neural networks, and its Jupyter kernel.",
        version: version,
        subcommands: [Run.self, Kernel.self, KernelspecCommand.self]
    )
}
