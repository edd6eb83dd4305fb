import Foundation

/// Decides whether a display update should go out now: at most one per `minInterval` seconds, and always when forced
/// (the first and the final state).
public struct Throttle: Sendable {
    public var minInterval: Double
    public private(set) var lastEmit: Double?
    public private(set) var emitted = 0

    public init(minInterval: Double = 0.1) { self.minInterval = minInterval }

    public mutating func shouldEmit(now: Double, force: Bool = false) -> Bool {
        if force || lastEmit == nil || now - lastEmit! >= minInterval {
            lastEmit = now
            emitted += 1
            return true
        }
        return false
    }
}

/// A tqdm-like progress bar's state, with tqdm's text form, an HTML form and a throttle for live updates.
public final class ProgressBar: MimeRenderable {
    public let total: Int?
    public private(set) var n = 0
    /// The count the bar started from (tqdm's `initial`); the rate counts only what came after it.
    public let initial: Int
    public private(set) var description: String
    public private(set) var postfix: [(String, String)] = []
    public let leave: Bool
    public let unit: String
    public private(set) var closed = false
    public private(set) var throttle: Throttle
    let clock: () -> Double
    public let startTime: Double
    var endTime: Double?

    /// Seconds on a monotonic clock.
    public static func monotonic() -> Double { ProcessInfo.processInfo.systemUptime }

    /// `clock` returns seconds; tests inject their own. `minInterval` is the throttle's (0.1 s: ten updates a second).
    public init(total: Int? = nil, description: String = "", leave: Bool = true, unit: String = "it", initial: Int = 0,
                minInterval: Double = 0.1, clock: @escaping () -> Double = ProgressBar.monotonic) {
        self.total = total; self.description = description; self.leave = leave; self.unit = unit
        self.initial = initial; n = initial
        self.clock = clock
        startTime = clock()
        throttle = Throttle(minInterval: minInterval)
        _ = throttle.shouldEmit(now: startTime, force: true)  // the initial bar is always shown
    }

    public var elapsed: Double { (endTime ?? clock()) - startTime }

    /// Advances by `k`; returns whether the display should be refreshed now (throttled; always when the total is reached).
    @discardableResult
    public func update(_ k: Int = 1) -> Bool {
        n += k
        let done = total.map { n >= $0 } ?? false
        return throttle.shouldEmit(now: clock(), force: done)
    }

    /// Whether a refresh is due now without advancing (after a description or postfix change).
    public func shouldRefresh() -> Bool { throttle.shouldEmit(now: clock()) }

    public func setDescription(_ s: String) { description = s }

    /// Postfix items shown after the rate as `key=value` (or the value alone for an empty key), in the given order.
    public func setPostfix(_ items: [(String, String)]) {
        postfix = items.map { ($0.0, $0.1.trimmingCharacters(in: .whitespaces)) }
    }

    /// Numeric postfix items formatted as tqdm's `format_num` does (`0.123`, `1.23e+4`).
    public func setPostfix(numbers: [(String, Double)]) { setPostfix(numbers.map { ($0.0, ProgressBar.formatNumber($0.1)) }) }

    /// Ends the bar; the final state is always emitted (returns true).
    @discardableResult
    public func close() -> Bool {
        if !closed { closed = true; endTime = clock() }
        _ = throttle.shouldEmit(now: endTime!, force: true)
        return true
    }

    var postfixText: String { postfix.map { $0.0.isEmpty ? $0.1 : "\($0.0)=\($0.1)" }.joined(separator: ", ") }

    /// Items per second since the start, counting from `initial`; nil before any time has passed.
    var rate: Double? {
        let el = elapsed
        return el > 0 ? Double(n - initial) / el : nil
    }

    /// tqdm's line: `desc: 45%|████▌     | 450/1000 [00:02<00:03, 180.00it/s, loss=0.123]` (rate averaged over the run).
    public func text(ncols: Int? = nil, ascii: Bool = false) -> String {
        ProgressBar.formatMeter(n: n, total: total, elapsed: elapsed, ncols: ncols, prefix: description, ascii: ascii, unit: unit,
                                rate: rate, postfix: postfixText.isEmpty ? nil : postfixText)
    }

    var lastTerminalLength = 0

    /// The line for a terminal: a carriage return, `text(ncols:)`, and spaces over what is left of a longer previous line.
    public func terminalLine(ncols: Int? = nil, ascii: Bool = false) -> String {
        let t = text(ncols: ncols, ascii: ascii)
        let pad = max(0, lastTerminalLength - t.count)
        lastTerminalLength = t.count
        return "\r" + t + String(repeating: " ", count: pad)
    }

    /// An HTML bar with the same numbers: blue while running, green when complete, vermillion when closed early.
    public var html: String {
        let stats = ProgressBar.stats(n: n, total: total, elapsed: elapsed, rate: rate, unit: unit, postfix: postfixText.isEmpty ? nil : postfixText)
        var h = "<div class=\"soma-progress\" style=\"display:flex;align-items:center;gap:8px;font-family:monospace;font-size:13px;line-height:20px\">"
        if !description.isEmpty { h += "<span class=\"desc\">\(xmlEscape(description)):</span>" }
        if let t = total, t > 0 {
            let frac = min(1, max(0, Double(n) / Double(t)))
            let color = n >= t ? "#009E73" : closed ? "#D55E00" : "#0072B2"
            h += "<span class=\"percent\">\(String(format: "%3.0f", frac * 100))%</span>"
            h += "<div role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"\(t)\" aria-valuenow=\"\(n)\" style=\"flex:0 0 300px;height:14px;background:#e5e5e5;border-radius:3px;overflow:hidden\">"
            h += "<div style=\"width:\(String(format: "%.1f", frac * 100))%;height:100%;background:\(color)\"></div></div>"
        }
        h += "<span class=\"stats\">\(xmlEscape(stats))</span></div>"
        return h
    }

    /// After `close()` with `leave: false` the bundle is empty (the display should be cleared).
    public func mimeBundle() -> MimeBundle {
        if closed && !leave { return MimeBundle([("text/plain", ""), ("text/html", "")]) }
        return MimeBundle([("text/plain", text()), ("text/html", html)])
    }

    // MARK: tqdm's formatting

    /// tqdm's `format_interval`: `MM:SS`, or `H:MM:SS` from an hour.
    public static func formatInterval(_ t: Double) -> String {
        let total = Int(t)
        let (mins, s) = (total / 60, total % 60)
        let (h, m) = (mins / 60, mins % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, s) : String(format: "%02d:%02d", m, s)
    }

    /// tqdm's `format_num`: `'{:.3g}'` without exponent zero padding, or `str(n)` when that is shorter.
    public static func formatNumber(_ v: Double) -> String {
        var f = String(format: "%.3g", v)
        f = f.replacingOccurrences(of: "e+0", with: "e+").replacingOccurrences(of: "e-0", with: "e-")
        let s = pythonRepr(v)
        return f.count < s.count ? f : s
    }

    public static func formatNumber(_ v: Int) -> String {
        var f = String(format: "%.3g", Double(v))
        f = f.replacingOccurrences(of: "e+0", with: "e+").replacingOccurrences(of: "e-0", with: "e-")
        let s = String(v)
        return f.count < s.count ? f : s
    }

    /// Python's `repr(float)`.
    static func pythonRepr(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return "\(v)"
    }

    static func rateText(_ rate: Double?, unit: String) -> String {
        let invRate = rate.flatMap { $0 != 0 ? 1 / $0 : nil }
        if let inv = invRate, inv > 1 { return String(format: "%5.2f", inv) + "s/" + unit }
        return (rate.map { $0 != 0 ? String(format: "%5.2f", $0) : "?" } ?? "?") + unit + "/s"
    }

    static func stats(n: Int, total: Int?, elapsed: Double, rate: Double?, unit: String, postfix: String?) -> String {
        let pf = postfix.map { ", " + $0 } ?? ""
        let rateFmt = rateText(rate, unit: unit)
        if let t = total {
            let remaining = (rate != nil && rate! != 0 && t != 0) ? Double(t - n) / rate! : 0
            let remainingStr = (rate != nil && rate! != 0) ? formatInterval(remaining) : "?"
            return "\(n)/\(t) [\(formatInterval(elapsed))<\(remainingStr), \(rateFmt)\(pf)]"
        }
        return "\(n)\(unit) [\(formatInterval(elapsed)), \(rateFmt)\(pf)]"
    }

    /// tqdm's `format_meter(n, total, elapsed, ncols, prefix, ascii, unit, rate=rate, postfix=postfix)` without unit scaling.
    public static func formatMeter(n: Int, total: Int?, elapsed: Double, ncols: Int? = nil, prefix: String = "", ascii: Bool = false,
                                   unit: String = "it", rate: Double? = nil, postfix: String? = nil) -> String {
        var total = total
        if let t = total, Double(n) >= Double(t) + 0.5 { total = nil }
        let r: Double? = rate ?? (elapsed != 0 ? Double(n) / elapsed : nil)
        let rateFmt = rateText(r, unit: unit)
        let pf = (postfix?.isEmpty ?? true) ? "" : ", " + postfix!
        let elapsedStr = formatInterval(elapsed)
        let lBarPrefix = prefix.isEmpty ? "" : (prefix.hasSuffix(": ") ? prefix : prefix + ": ")
        guard let t = total, t != 0 else {
            return "\(prefix.isEmpty ? "" : prefix + ": ")\(n)\(unit) [\(elapsedStr), \(rateFmt)\(pf)]"
        }
        let remaining = (r != nil && r! != 0) ? Double(t - n) / r! : 0
        let remainingStr = (r != nil && r! != 0) ? formatInterval(remaining) : "?"
        let rBar = "| \(n)/\(t) [\(elapsedStr)<\(remainingStr), \(rateFmt)\(pf)]"
        let frac = Double(n) / Double(t)
        let lBar = lBarPrefix + String(format: "%3.0f", frac * 100) + "%|"
        if ncols == 0 { return String(lBar.dropLast()) + String(rBar.dropFirst()) }
        let nobarLen = lBar.count + rBar.count
        let width = ncols.map { max(1, $0 - nobarLen) } ?? 10
        let charset: [Character] = ascii ? Array(" 123456789#") : [" ", "\u{258F}", "\u{258E}", "\u{258D}", "\u{258C}", "\u{258B}", "\u{258A}", "\u{2589}", "\u{2588}"]
        let nsyms = charset.count - 1
        let clamped = min(1, max(0, frac))
        let units = Int(clamped * Double(width) * Double(nsyms))
        let (barLength, fracBarLength) = (units / nsyms, units % nsyms)
        var bar = String(repeating: charset[nsyms], count: barLength)
        if barLength < width {
            bar += String(charset[fracBarLength]) + String(repeating: charset[0], count: width - barLength - 1)
        }
        let res = lBar + bar + rBar
        if let nc = ncols, res.count > nc { return String(res.prefix(nc)) }
        return res
    }
}
