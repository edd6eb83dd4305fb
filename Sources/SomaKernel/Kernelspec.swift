import Foundation

/// Writes Soma's kernelspec (kernel.json and logos) where `jupyter kernelspec install` would.
///
/// The files are those of `kernelspec/soma/` in the repository, embedded here so that an
/// installed binary needs no source tree; a test checks that both stay identical.
public enum KernelspecInstaller {
    /// kernel.json for a binary at `binaryPath` (the repository's template has "soma").
    public static func kernelJSON(binaryPath: String) -> String {
        let argv = [binaryPath, "kernel", "-f", "{connection_file}"].map { "  \(jsonString($0))" }.joined(separator: ",\n")
        return """
        {
         "argv": [
        \(argv)
         ],
         "display_name": "Soma",
         "language": "python",
         "interrupt_mode": "message",
         "metadata": {
          "supported_encryption": [
           "curve"
          ]
         }
        }

        """
    }

    /// The logo files: name → bytes.
    public static var logos: [String: [UInt8]] {
        [
            "logo-32x32.png": Array(Data(base64Encoded: logo32)!),
            "logo-64x64.png": Array(Data(base64Encoded: logo64)!),
            "logo-svg.svg": Array(logoSVG.utf8),
        ]
    }

    /// The folder `jupyter kernelspec install` would use: `prefix` → PREFIX/share/jupyter/kernels/NAME;
    /// `sysPrefix` → the same under sys.prefix of the Python in use ($VIRTUAL_ENV, $CONDA_PREFIX, or
    /// `python3` on PATH); `user` → the Jupyter data directory's kernels/NAME; none → /usr/local/share/jupyter/kernels/NAME.
    public static func destination(user: Bool = false, sysPrefix: Bool = false, prefix: String? = nil,
                                   name: String = "soma") throws -> String {
        if let prefix { return absolute(prefix) + "/share/jupyter/kernels/" + name }
        if sysPrefix { return try pythonSysPrefix() + "/share/jupyter/kernels/" + name }
        if user { return HistoryStore.jupyterDataDirectory + "/kernels/" + name }
        return "/usr/local/share/jupyter/kernels/" + name
    }

    /// Installs the kernelspec for the binary at `binaryPath` (made absolute); returns the folder written.
    @discardableResult
    public static func install(user: Bool = false, sysPrefix: Bool = false, prefix: String? = nil,
                               name: String = "soma", binaryPath: String) throws -> String {
        let dir = try destination(user: user, sysPrefix: sysPrefix, prefix: prefix, name: name)
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(kernelJSON(binaryPath: absolute(binaryPath)).utf8).write(to: URL(fileURLWithPath: dir + "/kernel.json"))
        for (file, bytes) in logos {
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + file))
        }
        return dir
    }

    /// The absolute path of the running executable (/proc/self/exe on Linux).
    public static func currentExecutablePath() -> String {
        #if os(Linux)
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        #endif
        return absolute(CommandLine.arguments[0])
    }

    static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return (expanded as NSString).standardizingPath }
        return ((FileManager.default.currentDirectoryPath + "/" + expanded) as NSString).standardizingPath
    }

    static func pythonSysPrefix() throws -> String {
        let env = ProcessInfo.processInfo.environment
        if let v = env["VIRTUAL_ENV"], !v.isEmpty { return v }
        if let c = env["CONDA_PREFIX"], !c.isEmpty { return c }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sys; print(sys.prefix)"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard p.terminationStatus == 0, !text.isEmpty else {
            throw KernelspecError.noPython
        }
        return text
    }

    static func jsonString(_ s: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [s], options: [])
        let arr = String(decoding: data, as: UTF8.self)
        return String(arr.dropFirst().dropLast()).replacingOccurrences(of: "\\/", with: "/")
    }

    static let logo32 = "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAABkUlEQVR42s2XvUpDMRTH+wiOKipFxQ46SKmUOkhRuoiDj+Cj+BSubq7t4OBQsODQ0cHBQXBz0EE3oYOk93fhXk6PSZpylSRwICTn438+cpLUPs/2ajFpIeaP092ll5Od88ejzcuHzkZ/1F6/h5izxh48fw7gtdfojg/r14P9ZRNC8CJTGQDe4F2oYU3IzouI1+vb5sqXTfHwYA0vTRb2nJizZuNFhy8a1sXn4+0LreiutWqeulsm88hkPFZiDx54tTw6gwCAVgvjpc+wDQgyWo8tEr9yrsOeIQ82rAlZnQ5dEzMAdMFVMe4CgQ0rAB16QljVeEE6HTIVJQB5zimiRXIeUhOyMLE1A4C8SIRUsk/h982V+Xl/M8VgzppPBp3SRlELOQBaqNp0KpoMB8Y12PNFQdrAZgmAPi6bjM/zecMXCdmssFkCkNVPV3MpkGF3DXhc8ujWpyEHwI0WUv2hI+Q0YDMdANFTEL0Iox/D6I0oeitO4jKKfh0n8SCJ/iRL4lGaxLM8iY9JEl+zZD6n/0lT84BOjYZ97wUAAAAASUVORK5CYII="
    static let logo64 = "iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAACx0lEQVR42u1bu0oDQRTNJ1iqqAQVFbUIokgsJCg+EEvBVv0ASWvnn/gJprCwCChYWKawSCEqWFhYGA02gjjOCawkm53nzmw27h24EDbzuOfMzJ2zszO5t935XJYtRwQk2NjrztzA48Z0CVZbHT9tt+A58vwbAp63Zgp3pYny9fLo1cXCUKNSGGQ6hrwog7Koo68IeNmezaNHLxeHn3QBqwx1oU7UnVoC4NztSv7MFWiRoQ2XRDiZ10kAjyLCRbyIVbi+NnlgMrddG9qGD4kTAOZvimPnvQIeNvhiOxqsInt1aaRm2FNwkvFAxvhS1zJeV4cFz5EHeVHGpA34ZLNiGIM3GfJ8nrL79akusLqGsqjDZEqYkuAFPJzmkdoaeNhQly4RpiQ4Bc/Fi1PgUUSgDZckaAU8nTnPVZs34GFDWzoxQScwKglQRXsEK852YuADQ5uqQAnfYxGANTaN4E1IUOkE6dCXzfteg9clARhkU0FIgErepgF8Owkq2WxEAF420hLwXAVG0QuUce9jGUob+MBkS6RoFBj3vs913oVOMB0FXQRg40Gm8Fw5+360yZonhy3Db1f1yhQjsCkJkO3kxO39j+M99lWtsJ/PJgsnPMN/yONrFACblADIRx+939gvtsDpJuRFGR+jICyROwjAJqSooO1bHYB8P9SZaUIZWxLgq2QFKwsJwE6sSPQkCd4FCSJxBIxCAkTKDxsUNk6YDHvZdLBpGz6LlGEkAZCLkuhpFfBcJZvACJ9FeNql8R8B+CojKhC1hZVE78cZBfBZgqfknYCopc42oS7vBMgEkI3IcZ1sxJKOIPJCANSd64Q6iYB+IaAvp0Dmg2Dml8HMC6HMS2F6GaLXYdoQoS0x2hSlbXH6MEKfxujjKH0epwMSdESGDknRMTk6KElHZemwNB2XpwsTdGWGLk3RtTm6OElXZ+ny9D+3X3LhO/y4ZvyhAAAAAElFTkSuQmCC"
    static let logoSVG = """
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <title>Soma</title>
  <circle cx="32" cy="32" r="27.5" fill="#ee4c2c" stroke="#b03018" stroke-width="4"/>
  <circle cx="32" cy="32" r="10" fill="#ffffff"/>
</svg>

"""
}

public enum KernelspecError: Error, CustomStringConvertible {
    case noPython
    public var description: String { "--sys-prefix: no python3 found on PATH (and no $VIRTUAL_ENV)" }
}
