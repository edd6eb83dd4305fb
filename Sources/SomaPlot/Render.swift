import Foundation

struct RenderResult { var svg: String; var alt: String }

/// A data → pixel mapping along one axis.
struct AxisMap {
    var lo: Double, hi: Double, p0: Double, p1: Double, scale: AxisScale
    func f(_ v: Double) -> Double { scale == .log ? log10(v) : v }
    func callAsFunction(_ v: Double) -> Double {
        let a = f(lo), b = f(hi)
        let t = (f(v) - a) / (b - a)
        let p = p0 + t * (p1 - p0)
        return max(-1e6, min(1e6, p))
    }
    func valid(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }
}

struct Ext {
    var xs: [Double] = [], ys: [Double] = []
    var stickyX: [Double] = [], stickyY: [Double] = []
    var skipped = 0
    var margin = true
}

extension Axes {
    func extents() -> Ext {
        var e = Ext()
        var onlyImages = true
        func addPoint(_ x: Double, _ y: Double) {
            let okx = x.isFinite && (xScale == .linear || x > 0), oky = y.isFinite && (yScale == .linear || y > 0)
            if okx && oky { e.xs.append(x); e.ys.append(y) } else { e.skipped += 1 }
        }
        for a in artists {
            switch a {
            case .line(let l): onlyImages = false; for i in 0..<l.x.count { addPoint(l.x[i], l.y[i]) }
            case .scatter(let s): onlyImages = false; for i in 0..<s.x.count { addPoint(s.x[i], s.y[i]) }
            case .bars(let b):
                onlyImages = false
                for i in 0..<b.left.count {
                    let top = b.bottom[i] + b.height[i]
                    if b.left[i].isFinite && top.isFinite && b.width[i].isFinite {
                        e.xs += [b.left[i], b.left[i] + b.width[i]]
                        if yScale == .linear || b.bottom[i] > 0 { e.ys.append(b.bottom[i]) }
                        if yScale == .linear || top > 0 { e.ys.append(top) }
                        e.stickyY.append(b.bottom[i])
                        if b.kind == "hist" { e.stickyX += [b.left[i], b.left[i] + b.width[i]] }
                    } else { e.skipped += 1 }
                }
            case .image(let im):
                e.xs += [-0.5, Double(im.width) - 0.5]; e.ys += [-0.5, Double(im.height) - 0.5]
                e.stickyX += [-0.5, Double(im.width) - 0.5]; e.stickyY += [-0.5, Double(im.height) - 0.5]
                if let v = im.values { e.skipped += v.filter { !$0.isFinite }.count }
            case .text(let t): if t.x.isFinite && t.y.isFinite { e.xs.append(t.x); e.ys.append(t.y) }
            }
        }
        e.margin = !(onlyImages && !artists.isEmpty)
        return e
    }

    static func limits(_ vs: [Double], sticky: [Double], margin: Bool, scale: AxisScale, user: (Double?, Double?)) -> (Double, Double) {
        var lo: Double, hi: Double
        if let a = vs.min(), let b = vs.max() { lo = a; hi = b } else { lo = scale == .log ? 1 : 0; hi = scale == .log ? 10 : 1 }
        let dataLo = lo, dataHi = hi
        if scale == .log {
            var a = log10(lo), b = log10(hi)
            if b - a < 1e-12 { a -= 0.5; b += 0.5 }
            if margin { let d = (b - a) * 0.05; a -= d; b += d }
            lo = pow(10, a); hi = pow(10, b)
        } else {
            (lo, hi) = Ticks.nonsingular(lo, hi)
            if margin {
                let d = (hi - lo) * 0.05
                lo -= d; hi += d
            }
            for s in sticky {
                if s == dataLo && lo < s { lo = s }
                if s == dataHi && hi > s { hi = s }
            }
            if hi - lo <= 0 { (lo, hi) = Ticks.nonsingular(lo, lo) }
        }
        if let u = user.0, u.isFinite, scale == .linear || u > 0 { lo = u }
        if let u = user.1, u.isFinite, scale == .linear || u > 0 { hi = u }
        if lo == hi { (lo, hi) = scale == .log ? (lo / 10, hi * 10) : Ticks.nonsingular(lo, hi) }
        return (lo, hi)
    }

    /// Ticks for one axis whose labels fit in `length` pixels (`along` = the label extent in the axis direction).
    static func ticks(lo: Double, hi: Double, scale: AxisScale, length: Double, horizontal: Bool,
                      override: (values: [Double], labels: [String])?, integer: Bool = false) -> [(Double, String)] {
        let a = min(lo, hi), b = max(lo, hi)
        func inside(_ v: Double) -> Bool { v >= a - (b - a) * 1e-9 && v <= b + (b - a) * 1e-9 }
        func fits(_ ts: [(Double, String)]) -> Bool {
            guard ts.count > 1 else { return true }
            let spacing = length / max(1e-9, scale == .log ? (log10(b) - log10(a)) : (b - a))
            for i in 1..<ts.count {
                let d = abs(scale == .log ? (log10(ts[i].0) - log10(ts[i - 1].0)) : (ts[i].0 - ts[i - 1].0)) * spacing
                let need = horizontal ? (textWidth(ts[i].1, size: 11) + textWidth(ts[i - 1].1, size: 11)) / 2 + 8 : 16
                if d < need { return false }
            }
            return true
        }
        if let o = override {
            var ts = zip(o.values, o.labels).filter { inside($0.0) }.map { ($0.0, $0.1) }
            var k = 1
            while !fits(ts.enumerated().filter { $0.offset % k == 0 }.map { $0.element }) && k < ts.count { k += 1 }
            if k > 1 { ts = ts.enumerated().map { $0.offset % k == 0 ? $0.element : ($0.element.0, "") } }
            return ts
        }
        if scale == .log {
            var vs = Ticks.log(a, b)
            var ts = zip(vs, Ticks.logLabels(vs)).map { ($0, $1) }
            var k = 1
            while !fits(ts) && vs.count > 2 {
                k += 1
                vs = Ticks.log(a, b).filter { v in let e = log10(v); return abs(e - e.rounded()) < 1e-9 && Int(e.rounded()) % k == 0 }
                if vs.count < 2 { break }
                ts = zip(vs, Ticks.logLabels(vs)).map { ($0, $1) }
            }
            return ts
        }
        // The smallest 1-2-5 step that leaves at least 60 (x) or 32 (y) pixels between ticks and whose labels fit.
        let minSpacing = horizontal ? 60.0 : 32.0
        var d = Ticks.niceNumber((b - a) * minSpacing / max(1, length), round: false)
        if integer && d < 1 { d = 1 }
        for _ in 0..<30 {
            let vs = Ticks.multiples(a, b, d)
            if vs.count < 2 { break }
            let ts = zip(vs, Ticks.labels(vs, step: d)).map { ($0, $1) }
            if fits(ts) { return ts }
            d = Ticks.nextStep(d)
        }
        let (vs, step) = Ticks.linear(a, b, count: 2)
        return zip(vs, Ticks.labels(vs, step: step)).map { ($0, $1) }
    }

    struct Box { var x: Double, y: Double, w: Double, h: Double }

    /// Draws these axes into the cell `cell`; returns a summary for the alt text.
    func render(into b: inout SVGBuilder, cell: Box, id: String) -> (series: [String: Int], skipped: Int, legend: Int) {
        let e = extents()
        let (xlo, xhi) = Axes.limits(e.xs, sticky: e.stickyX, margin: e.margin, scale: xScale, user: xlimits)
        var (ylo, yhi) = Axes.limits(e.ys, sticky: e.stickyY, margin: e.margin, scale: yScale, user: ylimits)
        if invertY && ylimits.0 == nil && ylimits.1 == nil { swap(&ylo, &yhi) }

        // Layout: y ticks first (the height does not depend on the left margin), then the margins, then x ticks.
        let top = cell.y + (titleText != nil ? titleSize * 1.3 + 10 : (axisOn ? 12 : 4))
        let rotated = xTickRotation != 0 || (xTickOverride?.labels.contains { $0.count > 6 } ?? false)
        let xTickLabelRoom = axisOn ? (rotated ? min(80, (xTickOverride?.labels.map { textWidth($0, size: 11) }.max() ?? 20) * 0.75 + 14) : 22) : 0
        let bottom = cell.y + cell.h - (axisOn ? 8 : 2) - xTickLabelRoom - (axisOn && xlabelText != nil ? 20 : 0)
        var plotH = max(10, bottom - top)
        let yticks = axisOn ? Axes.ticks(lo: ylo, hi: yhi, scale: yScale, length: plotH, horizontal: false, override: yTickOverride) : []
        let yLabelW = yticks.map { textWidth($0.1, size: 11) }.max() ?? 0
        let left = cell.x + (axisOn ? yLabelW + 14 + (ylabelText != nil ? 22 : 0) : 4)
        let right = cell.x + cell.w - (axisOn ? 16 : 4)
        var plotW = max(10, right - left)
        var px0 = left, py0 = top
        if equalAspect {
            let dx = abs(xhi - xlo), dy = abs(yhi - ylo)
            if dx > 0 && dy > 0 && xScale == .linear && yScale == .linear {
                let s = min(plotW / dx, plotH / dy)
                let w = dx * s, h = dy * s
                px0 += (plotW - w) / 2; py0 += (plotH - h) / 2
                plotW = w; plotH = h
            }
        }
        let X = AxisMap(lo: xlo, hi: xhi, p0: px0, p1: px0 + plotW, scale: xScale)
        let Y = AxisMap(lo: ylo, hi: yhi, p0: py0 + plotH, p1: py0, scale: yScale)
        let xticks = axisOn ? Axes.ticks(lo: xlo, hi: xhi, scale: xScale, length: plotW, horizontal: !rotated, override: xTickOverride, integer: xIntegerTicks) : []

        b.raw("<g class=\"axes\">")
        if axisOn { b.raw("<rect class=\"background\" x=\"\(px(px0))\" y=\"\(px(py0))\" width=\"\(px(plotW))\" height=\"\(px(plotH))\" fill=\"#ffffff\"/>") }
        if gridOn && axisOn {
            var d = ""
            for (v, _) in xticks { d += "M\(px(X(v))) \(px(py0))V\(px(py0 + plotH))" }
            for (v, _) in yticks { d += "M\(px(px0)) \(px(Y(v)))H\(px(px0 + plotW))" }
            b.raw("<path class=\"grid\" d=\"\(d)\" stroke=\"#dddddd\" stroke-width=\"0.8\" fill=\"none\"/>")
        }
        b.raw("<clipPath id=\"\(id)\"><rect x=\"\(px(px0))\" y=\"\(px(py0))\" width=\"\(px(plotW))\" height=\"\(px(plotH))\"/></clipPath>")
        b.raw("<g class=\"data\" clip-path=\"url(#\(id))\">")
        var legendEntries: [(label: String, artist: Artist)] = []
        var occupied: [(Double, Double)] = []  // pixel points the legend should avoid
        for a in artists {
            switch a {
            case .line(let l):
                drawLine(l, X, Y, &b, &occupied)
                if let s = l.label, !s.isEmpty, !s.hasPrefix("_") { legendEntries.append((s, a)) }
            case .scatter(let s):
                b.raw("<g class=\"scatter\"\(s.alpha < 1 ? " fill-opacity=\"\(px(s.alpha))\"" : "")>")
                for i in 0..<s.x.count where X.valid(s.x[i]) && Y.valid(s.y[i]) {
                    let p = (X(s.x[i]), Y(s.y[i]))
                    occupied.append(p)
                    b.raw(markerSVG(s.marker, p.0, p.1, s.radius, s.colors[s.colors.count == 1 ? 0 : i], cls: "point"))
                }
                b.raw("</g>")
                if let l = s.label, !l.isEmpty { legendEntries.append((l, a)) }
            case .bars(let bar):
                b.raw("<g class=\"\(bar.kind == "hist" ? "hist" : "bars")\" fill=\"\(bar.color.hex)\">")
                for i in 0..<bar.left.count {
                    let x0 = bar.left[i], x1 = bar.left[i] + bar.width[i], y0 = bar.bottom[i], y1 = bar.bottom[i] + bar.height[i]
                    guard X.valid(x0), X.valid(x1) else { continue }
                    let ya = Y.valid(y0) ? Y(y0) : Y.p0, yb = Y.valid(y1) ? Y(y1) : Y.p0
                    let rx = min(X(x0), X(x1)), rw = abs(X(x1) - X(x0)), ry = min(ya, yb), rh = abs(yb - ya)
                    b.raw("<rect class=\"bar\" x=\"\(px(rx))\" y=\"\(px(ry))\" width=\"\(px(rw))\" height=\"\(px(rh))\"\(bar.kind == "hist" ? " stroke=\"#ffffff\" stroke-width=\"0.5\"" : "")/>")
                    for f in stride(from: 0.0, through: 1.0, by: 0.25) { occupied.append((rx + rw / 2, ry + rh * f)) }
                }
                b.raw("</g>")
                if let l = bar.label, !l.isEmpty { legendEntries.append((l, a)) }
            case .image(let im):
                drawImage(im, X, Y, &b)
            case .text(let t):
                guard X.valid(t.x), Y.valid(t.y) else { continue }
                b.text(t.text, x: X(t.x), y: Y(t.y), size: t.size, anchor: t.anchor, color: t.color.hex, cls: "text")
            }
        }
        for c in cellText where X.valid(c.x) && Y.valid(c.y) {
            b.text(c.text, x: X(c.x), y: Y(c.y), size: 11, anchor: "middle", baseline: "central", color: c.color.hex, cls: "cell-text")
        }
        b.raw("</g>")

        if axisOn {
            b.raw("<rect class=\"frame\" x=\"\(px(px0))\" y=\"\(px(py0))\" width=\"\(px(plotW))\" height=\"\(px(plotH))\" fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>")
            b.raw("<g class=\"xticks\">")
            for (v, s) in xticks {
                let x = X(v)
                b.raw("<g class=\"xtick\"><line x1=\"\(px(x))\" y1=\"\(px(py0 + plotH))\" x2=\"\(px(x))\" y2=\"\(px(py0 + plotH + 4))\" stroke=\"#333333\"/>")
                if !s.isEmpty {
                    if rotated {
                        b.text(s, x: x, y: py0 + plotH + 14, size: 11, anchor: "end", rotate: -(xTickRotation == 0 ? 45 : xTickRotation))
                    } else {
                        b.text(s, x: x, y: py0 + plotH + 17, size: 11)
                    }
                }
                b.raw("</g>")
            }
            b.raw("</g><g class=\"yticks\">")
            for (v, s) in yticks {
                let y = Y(v)
                b.raw("<g class=\"ytick\"><line x1=\"\(px(px0 - 4))\" y1=\"\(px(y))\" x2=\"\(px(px0))\" y2=\"\(px(y))\" stroke=\"#333333\"/>")
                if !s.isEmpty { b.text(s, x: px0 - 7, y: y, size: 11, anchor: "end", baseline: "central") }
                b.raw("</g>")
            }
            b.raw("</g>")
            if let s = xlabelText { b.text(s, x: px0 + plotW / 2, y: cell.y + cell.h - 10, size: 12, cls: "xlabel") }
            if let s = ylabelText { b.text(s, x: cell.x + 14, y: py0 + plotH / 2, size: 12, rotate: -90, cls: "ylabel") }
        }
        if let s = titleText {
            b.text(s, x: px0 + plotW / 2, y: equalAspect ? py0 - titleSize * 0.45 : cell.y + titleSize * 1.3 + 2, size: titleSize,
                   color: titleColor.hex, weight: titleSize >= 13 ? "bold" : nil, cls: "title")
        }
        if legendLoc != nil && !legendEntries.isEmpty {
            drawLegend(legendEntries, box: Box(x: px0, y: py0, w: plotW, h: plotH), occupied: occupied, &b)
        }
        b.raw("</g>")
        return (seriesSummary, e.skipped, legendLoc != nil ? legendEntries.count : 0)
    }

    func dashArray(_ ls: String, _ lw: Double) -> String? {
        switch ls {
        case "--": return "\(px(3.7 * lw)),\(px(1.6 * lw))"
        case ":": return "\(px(1 * lw)),\(px(1.65 * lw))"
        case "-.": return "\(px(6.4 * lw)),\(px(1.6 * lw)),\(px(1 * lw)),\(px(1.6 * lw))"
        default: return nil
        }
    }

    func drawLine(_ l: LineArtist, _ X: AxisMap, _ Y: AxisMap, _ b: inout SVGBuilder, _ occupied: inout [(Double, Double)]) {
        var pts: [(Double, Double)?] = []
        for i in 0..<l.x.count {
            if X.valid(l.x[i]) && Y.valid(l.y[i]) { pts.append((X(l.x[i]), Y(l.y[i]))) } else { pts.append(nil) }
        }
        // The legend avoids the vertices and points along long segments.
        var prev: (Double, Double)? = nil
        for p in pts {
            if let p = p {
                occupied.append(p)
                if let q = prev {
                    let n = min(20, Int(hypot(p.0 - q.0, p.1 - q.1) / 15))
                    if n > 0 { for k in 1...n { let t = Double(k) / Double(n + 1); occupied.append((q.0 + (p.0 - q.0) * t, q.1 + (p.1 - q.1) * t)) } }
                }
            }
            prev = p
        }
        if l.linestyle != "None" && l.linestyle != " " {
            var d = ""
            var pen = false
            for p in pts {
                guard let p = p else { pen = false; continue }
                d += (pen ? "L" : "M") + "\(px(p.0)) \(px(p.1))"
                pen = true
            }
            var a = "<path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\"\(l.color.hex)\" stroke-width=\"\(px(l.linewidth))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
            if let da = dashArray(l.linestyle, l.linewidth) { a += " stroke-dasharray=\"\(da)\"" }
            b.raw(a + "/>")
        }
        if l.marker != "None" {
            b.raw("<g class=\"markers\">")
            let r = l.marker == "." ? l.markersize / 4 : l.markersize / 2
            for p in pts { if let p = p { b.raw(markerSVG(l.marker, p.0, p.1, r, l.color, cls: "marker")) } }
            b.raw("</g>")
        }
    }

    func drawImage(_ im: ImageArtist, _ X: AxisMap, _ Y: AxisMap, _ b: inout SVGBuilder) {
        let x0 = X(-0.5), x1 = X(Double(im.width) - 0.5), y0 = Y(-0.5), y1 = Y(Double(im.height) - 0.5)
        let cw = (x1 - x0) / Double(im.width), ch = (y1 - y0) / Double(im.height)
        if im.width * im.height <= 256 {
            b.raw("<g class=\"image\" shape-rendering=\"crispEdges\">")
            for r in 0..<im.height {
                var c = 0
                while c < im.width {
                    let col = im.pixels[r * im.width + c]
                    var run = 1
                    while c + run < im.width && im.pixels[r * im.width + c + run] == col { run += 1 }
                    let rx = min(x0 + Double(c) * cw, x0 + Double(c + run) * cw), ry = min(y0 + Double(r) * ch, y0 + Double(r + 1) * ch)
                    // Half a pixel of overlap hides the hairline seams that anti-aliasing leaves between cells.
                    b.raw("<rect x=\"\(px(rx))\" y=\"\(px(ry))\" width=\"\(px(abs(cw) * Double(run) + 0.5))\" height=\"\(px(abs(ch) + 0.5))\" fill=\"\(col.hex)\"/>")
                    c += run
                }
            }
            b.raw("</g>")
        } else {
            var bytes = [UInt8]()
            bytes.reserveCapacity(im.pixels.count * 3)
            for p in im.pixels { let (r, g, bl) = p.bytes; bytes += [r, g, bl] }
            let png = PNG.encodeRGB(width: im.width, height: im.height, pixels: bytes)
            b.raw("<image class=\"image\" x=\"\(px(min(x0, x1)))\" y=\"\(px(min(y0, y1)))\" width=\"\(px(abs(x1 - x0)))\" height=\"\(px(abs(y1 - y0)))\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated;image-rendering:crisp-edges\" xlink:href=\"data:image/png;base64,\(Data(png).base64EncodedString())\"/>")
        }
    }

    /// matplotlib's "best": the candidate place whose box covers the fewest data points; ties go to the earlier candidate.
    func drawLegend(_ entries: [(label: String, artist: Artist)], box: Box, occupied: [(Double, Double)], _ b: inout SVGBuilder) {
        let rowH = 18.0, pad = 6.0
        let w = 34 + (entries.map { textWidth($0.label, size: 11) }.max() ?? 0) + pad * 2
        let h = Double(entries.count) * rowH + pad
        let inset = 8.0
        let lx = box.x + inset, rx = box.x + box.w - inset - w, cx = box.x + (box.w - w) / 2
        let ty = box.y + inset, by = box.y + box.h - inset - h, cy = box.y + (box.h - h) / 2
        let candidates: [(String, Double, Double)] = [
            ("upper right", rx, ty), ("upper left", lx, ty), ("lower left", lx, by), ("lower right", rx, by),
            ("right", rx, cy), ("center left", lx, cy), ("center right", rx, cy), ("lower center", cx, by),
            ("upper center", cx, ty), ("center", cx, cy),
        ]
        var chosen = candidates[0]
        if let loc = legendLoc, loc != "best", let c = candidates.first(where: { $0.0 == loc }) {
            chosen = c
        } else {
            var best = Int.max
            for c in candidates {
                let n = occupied.filter { $0.0 >= c.1 - 2 && $0.0 <= c.1 + w + 2 && $0.1 >= c.2 - 2 && $0.1 <= c.2 + h + 2 }.count
                if n < best { best = n; chosen = c }
            }
        }
        let (x, y) = (chosen.1, chosen.2)
        b.raw("<g class=\"legend\" data-loc=\"\(chosen.0)\">")
        b.raw("<rect x=\"\(px(x))\" y=\"\(px(y))\" width=\"\(px(w))\" height=\"\(px(h))\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#cccccc\"/>")
        for (i, e) in entries.enumerated() {
            let yy = y + pad / 2 + rowH * (Double(i) + 0.5)
            let sx = x + pad, sw = 24.0
            b.raw("<g class=\"legend-entry\">")
            switch e.artist {
            case .line(let l):
                if l.linestyle != "None" && l.linestyle != " " {
                    var a = "<line x1=\"\(px(sx))\" y1=\"\(px(yy))\" x2=\"\(px(sx + sw))\" y2=\"\(px(yy))\" stroke=\"\(l.color.hex)\" stroke-width=\"\(px(l.linewidth))\""
                    if let da = dashArray(l.linestyle, l.linewidth) { a += " stroke-dasharray=\"\(da)\"" }
                    b.raw(a + "/>")
                }
                if l.marker != "None" { b.raw(markerSVG(l.marker, sx + sw / 2, yy, l.marker == "." ? l.markersize / 4 : l.markersize / 2, l.color, cls: "legend-marker")) }
            case .scatter(let s):
                b.raw(markerSVG(s.marker, sx + sw / 2, yy, s.radius, s.colors[0], cls: "legend-marker"))
            case .bars(let bar):
                b.raw("<rect x=\"\(px(sx + 4))\" y=\"\(px(yy - 5))\" width=\"16\" height=\"10\" fill=\"\(bar.color.hex)\"/>")
            default: break
            }
            b.text(e.label, x: sx + sw + 6, y: yy, size: 11, anchor: "start", baseline: "central")
            b.raw("</g>")
        }
        b.raw("</g>")
    }
}

/// One marker as an SVG element centred at (x, y) with "radius" r.
func markerSVG(_ m: String, _ x: Double, _ y: Double, _ r: Double, _ c: RGBColor, cls: String) -> String {
    let fill = c.hex
    func poly(_ pts: [(Double, Double)]) -> String {
        "<path class=\"\(cls)\" d=\"M" + pts.map { "\(px(x + $0.0 * r)) \(px(y + $0.1 * r))" }.joined(separator: "L") + "Z\" fill=\"\(fill)\"/>"
    }
    func strokes(_ segs: [(Double, Double, Double, Double)]) -> String {
        "<path class=\"\(cls)\" d=\"" + segs.map { "M\(px(x + $0.0 * r)) \(px(y + $0.1 * r))L\(px(x + $0.2 * r)) \(px(y + $0.3 * r))" }.joined()
            + "\" stroke=\"\(fill)\" stroke-width=\"1.5\" fill=\"none\"/>"
    }
    func regular(_ n: Int, _ phase: Double) -> [(Double, Double)] {
        (0..<n).map { k in let a = phase + Double(k) * 2 * .pi / Double(n); return (sin(a), -cos(a)) }
    }
    switch m {
    case ",": return "<rect class=\"\(cls)\" x=\"\(px(x - 0.5))\" y=\"\(px(y - 0.5))\" width=\"1\" height=\"1\" fill=\"\(fill)\"/>"
    case "s": return poly([(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)])
    case "^": return poly([(0, -1), (1, 0.8), (-1, 0.8)])
    case "v": return poly([(0, 1), (1, -0.8), (-1, -0.8)])
    case "<": return poly([(-1, 0), (0.8, -1), (0.8, 1)])
    case ">": return poly([(1, 0), (-0.8, -1), (-0.8, 1)])
    case "D": return poly([(0, -1.1), (1.1, 0), (0, 1.1), (-1.1, 0)])
    case "d": return poly([(0, -1.1), (0.7, 0), (0, 1.1), (-0.7, 0)])
    case "p": return poly(regular(5, 0))
    case "h": return poly(regular(6, 0))
    case "H": return poly(regular(6, .pi / 6))
    case "8": return poly(regular(8, .pi / 8))
    case "*": return poly((0..<10).map { k in let a = Double(k) * .pi / 5; let s = k % 2 == 0 ? 1.2 : 0.5; return (s * sin(a), -s * cos(a)) })
    case "P": return poly([(-0.35, -1), (0.35, -1), (0.35, -0.35), (1, -0.35), (1, 0.35), (0.35, 0.35), (0.35, 1), (-0.35, 1), (-0.35, 0.35), (-1, 0.35), (-1, -0.35), (-0.35, -0.35)])
    case "X": return strokes([(-0.9, -0.9, 0.9, 0.9), (-0.9, 0.9, 0.9, -0.9)]).replacingOccurrences(of: "stroke-width=\"1.5\"", with: "stroke-width=\"\(px(r * 0.6))\"")
    case "+": return strokes([(-1, 0, 1, 0), (0, -1, 0, 1)])
    case "x": return strokes([(-0.8, -0.8, 0.8, 0.8), (-0.8, 0.8, 0.8, -0.8)])
    case "|": return strokes([(0, -1, 0, 1)])
    case "_": return strokes([(-1, 0, 1, 0)])
    case "1": return strokes([(0, 0, 0, 1), (0, 0, -0.87, -0.5), (0, 0, 0.87, -0.5)])
    case "2": return strokes([(0, 0, 0, -1), (0, 0, -0.87, 0.5), (0, 0, 0.87, 0.5)])
    case "3": return strokes([(0, 0, 1, 0), (0, 0, -0.5, -0.87), (0, 0, -0.5, 0.87)])
    case "4": return strokes([(0, 0, -1, 0), (0, 0, 0.5, -0.87), (0, 0, 0.5, 0.87)])
    default: return "<circle class=\"\(cls)\" cx=\"\(px(x))\" cy=\"\(px(y))\" r=\"\(px(r))\" fill=\"\(fill)\"/>"
    }
}

extension Figure {
    func render() -> RenderResult {
        let W = width, H = height
        let top = suptitle != nil ? 30.0 : 0
        let cw = W / Double(cols), ch = (H - top) / Double(rows)
        var body = SVGBuilder()
        var series: [String: Int] = [:]
        var skipped = 0
        let figID = IDCounter.shared.next()
        if let s = suptitle { body.text(s, x: W / 2, y: 21, size: 15, weight: "bold", cls: "suptitle") }
        for (i, ax) in axes.enumerated() {
            let r = i / cols, c = i % cols
            let res = ax.render(into: &body, cell: Axes.Box(x: Double(c) * cw, y: top + Double(r) * ch, w: cw, h: ch), id: "soma-fig\(figID)-clip\(i)")
            for (k, v) in res.series { series[k, default: 0] += v }
            skipped += res.skipped
        }
        let order = ["lines", "scatter", "bar series", "histograms", "images", "texts"]
        let parts = order.compactMap { k -> String? in
            guard let n = series[k], n > 0 else { return nil }
            switch k {
            case "lines": return "\(n) line\(n == 1 ? "" : "s")"
            case "scatter": return "\(n) scatter series"
            case "histograms": return "\(n) histogram\(n == 1 ? "" : "s")"
            case "images": return "\(n) image\(n == 1 ? "" : "s")"
            case "texts": return "\(n) text\(n == 1 ? "" : "s")"
            default: return "\(n) \(k)"
            }
        }
        var alt = "<Figure \(Int(W.rounded()))x\(Int(H.rounded())) with \(axes.count) Axes"
        if !parts.isEmpty { alt += ": " + parts.joined(separator: ", ") }
        if skipped > 0 { alt += "; \(skipped) non-finite value\(skipped == 1 ? "" : "s") skipped" }
        alt += ">"
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" "
        svg += "viewBox=\"0 0 \(px(W)) \(px(H))\" width=\"\(px(W))\" height=\"\(px(H))\" role=\"img\" aria-label=\"\(xmlEscape(alt))\" "
        svg += "font-family=\"\(fontFamily)\">\n"
        svg += "<title>\(xmlEscape(alt))</title>\n"
        svg += "<rect class=\"figure-background\" width=\"\(px(W))\" height=\"\(px(H))\" fill=\"#ffffff\"/>\n"
        svg += body.out
        svg += "</svg>\n"
        return RenderResult(svg: svg, alt: alt)
    }
}
