import Foundation

/// An sRGB colour with components in 0...1.
public struct RGBColor: Equatable, Hashable, Sendable {
    public var r: Double, g: Double, b: Double
    public init(_ r: Double, _ g: Double, _ b: Double) { self.r = r; self.g = g; self.b = b }
    public init(hex: UInt32) {
        r = Double((hex >> 16) & 0xff) / 255; g = Double((hex >> 8) & 0xff) / 255; b = Double(hex & 0xff) / 255
    }
    static func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, (v * 255).rounded()))) }
    public var bytes: (UInt8, UInt8, UInt8) { (Self.byte(r), Self.byte(g), Self.byte(b)) }
    /// `#rrggbb`.
    public var hex: String {
        let (R, G, B) = bytes
        return String(format: "#%02x%02x%02x", R, G, B)
    }
    /// Relative luminance (for choosing black or white text on a cell).
    public var luminance: Double { 0.2126 * r + 0.7152 * g + 0.0722 * b }

    /// The default colour cycle: Okabe & Ito's palette (readable with every common colour-vision deficiency),
    /// ordered so that the first seven are distinct on white; yellow comes last.
    public static let cycle: [RGBColor] = [
        RGBColor(hex: 0x0072B2),  // blue
        RGBColor(hex: 0xE69F00),  // orange
        RGBColor(hex: 0x009E73),  // bluish green
        RGBColor(hex: 0xD55E00),  // vermillion
        RGBColor(hex: 0xCC79A7),  // reddish purple
        RGBColor(hex: 0x56B4E9),  // sky blue
        RGBColor(hex: 0x000000),  // black
        RGBColor(hex: 0xF0E442),  // yellow
    ]

    /// matplotlib's single-letter base colours.
    public static let base: [Character: RGBColor] = [
        "b": RGBColor(0, 0, 1), "g": RGBColor(0, 0.5, 0), "r": RGBColor(1, 0, 0), "c": RGBColor(0, 0.75, 0.75),
        "m": RGBColor(0.75, 0, 0.75), "y": RGBColor(0.75, 0.75, 0), "k": RGBColor(0, 0, 0), "w": RGBColor(1, 1, 1),
    ]

    static let named: [String: UInt32] = [
        "black": 0x000000, "white": 0xffffff, "red": 0xff0000, "green": 0x008000, "blue": 0x0000ff, "gray": 0x808080,
        "grey": 0x808080, "orange": 0xffa500, "purple": 0x800080, "brown": 0xa52a2a, "pink": 0xffc0cb, "olive": 0x808000,
        "cyan": 0x00ffff, "magenta": 0xff00ff, "yellow": 0xffff00, "navy": 0x000080, "teal": 0x008080, "lime": 0x00ff00,
        "darkgray": 0xa9a9a9, "lightgray": 0xd3d3d3, "darkblue": 0x00008b, "darkred": 0x8b0000, "darkgreen": 0x006400,
        "tab:blue": 0x1f77b4, "tab:orange": 0xff7f0e, "tab:green": 0x2ca02c, "tab:red": 0xd62728, "tab:purple": 0x9467bd,
        "tab:brown": 0x8c564b, "tab:pink": 0xe377c2, "tab:gray": 0x7f7f7f, "tab:olive": 0xbcbd22, "tab:cyan": 0x17becf,
    ]

    /// Parses a matplotlib colour: a base letter, `C0`…`C9`, a name, `#rrggbb`, `#rgb` or a grey level `"0.5"`.
    public init?(spec: String) {
        let s = spec.trimmingCharacters(in: .whitespaces).lowercased()
        if s.count == 1, let c = RGBColor.base[s.first!] { self = c; return }
        if spec.hasPrefix("C"), let n = Int(spec.dropFirst()), n >= 0 { self = RGBColor.cycle[n % RGBColor.cycle.count]; return }
        if let h = RGBColor.named[s] { self.init(hex: h); return }
        if s.hasPrefix("#") {
            let digits = String(s.dropFirst())
            if digits.count == 6, let v = UInt32(digits, radix: 16) { self.init(hex: v); return }
            if digits.count == 3, let v = UInt32(digits, radix: 16) {
                let r = (v >> 8) & 0xf, g = (v >> 4) & 0xf, b = v & 0xf
                self.init(hex: (r * 17) << 16 | (g * 17) << 8 | (b * 17)); return
            }
            return nil
        }
        if let v = Double(s), v >= 0, v <= 1, s != "0", s != "1" { self.init(v, v, v); return }
        return nil
    }
}

/// A colour map from 0...1 to colours.
public enum Colormap: String, Sendable, CaseIterable {
    case gray, viridis, grayReversed = "gray_r", blues = "Blues"

    public init?(name: String) {
        switch name.lowercased() {
        case "gray", "grey", "greys_r": self = .gray
        case "gray_r", "grey_r", "greys": self = .grayReversed
        case "viridis": self = .viridis
        case "blues": self = .blues
        default: return nil
        }
    }

    // viridis sampled at 9 evenly spaced points (matplotlib's table), interpolated linearly in between.
    static let viridisStops: [UInt32] = [0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21908C, 0x27AD81, 0x5DC863, 0xAADC32, 0xFDE725]
    static let bluesStops: [UInt32] = [0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6, 0x4292C6, 0x2171B5, 0x08519C, 0x08306B]

    public func color(_ t: Double) -> RGBColor {
        let u = t.isNaN ? 0 : max(0, min(1, t))
        switch self {
        case .gray: return RGBColor(u, u, u)
        case .grayReversed: return RGBColor(1 - u, 1 - u, 1 - u)
        case .viridis: return Colormap.interpolate(Colormap.viridisStops, u)
        case .blues: return Colormap.interpolate(Colormap.bluesStops, u)
        }
    }

    static func interpolate(_ stops: [UInt32], _ u: Double) -> RGBColor {
        let p = u * Double(stops.count - 1)
        let i = min(Int(p), stops.count - 2)
        let f = p - Double(i)
        let a = RGBColor(hex: stops[i]), b = RGBColor(hex: stops[i + 1])
        return RGBColor(a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f)
    }
}
