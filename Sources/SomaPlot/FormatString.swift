/// Errors from SomaPlot's inputs, with messages in matplotlib's words.
public struct PlotError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A parsed matplotlib format string (`'r--'`, `'o-'`, `'k.'`): colour, line style and marker.
public struct FormatSpec: Equatable, Sendable {
    /// `"-"`, `"--"`, `"-."`, `":"`, or `"None"` (no line).
    public var linestyle: String
    /// A marker symbol (`"o"`, `"."`, `"s"`, ...) or `"None"`.
    public var marker: String
    /// The colour if the string named one.
    public var color: RGBColor?

    public init(linestyle: String = "-", marker: String = "None", color: RGBColor? = nil) {
        self.linestyle = linestyle; self.marker = marker; self.color = color
    }

    static let lineStyles: Set<String> = ["-", "--", "-.", ":", " "]
    /// matplotlib's `Line2D.markers` symbols that are single characters.
    public static let markers: Set<Character> = [".", ",", "o", "v", "^", "<", ">", "1", "2", "3", "4", "8", "s", "p", "P", "*", "h", "H", "+", "x", "X", "D", "d", "|", "_"]

    /// Parses like matplotlib's `_process_plot_format`: a whole-string colour first, then line styles
    /// (two-character ones before one-character ones), markers, base colours and `Cn`; a line style
    /// defaults to solid only when neither a line style nor a marker was given.
    public init(parsing fmt: String) throws {
        var linestyle: String? = nil, marker: String? = nil, color: RGBColor? = nil
        if fmt != "0" && fmt != "1" && !fmt.isEmpty, let c = RGBColor(spec: fmt), fmt.count > 1 || RGBColor.base[fmt.first!] != nil {
            self.init(linestyle: "-", marker: "None", color: c)
            return
        }
        func fail(_ why: String) -> PlotError { PlotError("'\(fmt)' is not a valid format string (\(why))") }
        let chars = Array(fmt)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
            if two == "--" || two == "-." {
                if linestyle != nil { throw fail("two linestyle symbols") }
                linestyle = two; i += 2
            } else if FormatSpec.lineStyles.contains(String(c)) {
                if linestyle != nil { throw fail("two linestyle symbols") }
                linestyle = String(c); i += 1
            } else if FormatSpec.markers.contains(c) {
                if marker != nil { throw fail("two marker symbols") }
                marker = String(c); i += 1
            } else if let base = RGBColor.base[c] {
                if color != nil { throw fail("two color symbols") }
                color = base; i += 1
            } else if c == "C" {
                var j = i + 1
                while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
                if j == i + 1 { throw fail("'C' must be followed by a number") }
                color = RGBColor.cycle[Int(String(chars[(i + 1)..<j]))! % RGBColor.cycle.count]
                i = j
            } else {
                throw fail("unrecognized character '\(c)'")
            }
        }
        if linestyle == nil && marker == nil { linestyle = "-" }
        self.init(linestyle: linestyle ?? "None", marker: marker ?? "None", color: color)
    }
}
