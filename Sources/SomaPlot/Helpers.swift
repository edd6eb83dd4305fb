import Foundation

/// A grid of images with a label above each, like torchvision's `make_grid` with titles: `images` are grey
/// matrices (rows × columns). `labelColors` (e.g. green for right and red for wrong predictions) colour the labels.
public func imageGrid(images: [[[Double]]], labels: [String]? = nil, cols: Int = 8, cmap: String = "gray",
                      labelColors: [String]? = nil, cellSize: Double = 1.2) throws -> Figure {
    try grid(count: images.count, labels: labels, cols: cols, labelColors: labelColors, cellSize: cellSize) { ax, i in
        try ax.imshow(images[i], cmap: cmap)
    }
}

/// The same grid for colour images (rows × columns × 3, values in 0...1 or 0...255).
public func imageGrid(rgbImages: [[[[Double]]]], labels: [String]? = nil, cols: Int = 8, labelColors: [String]? = nil,
                      cellSize: Double = 1.2) throws -> Figure {
    try grid(count: rgbImages.count, labels: labels, cols: cols, labelColors: labelColors, cellSize: cellSize) { ax, i in
        try ax.imshow(rgb: rgbImages[i])
    }
}

func grid(count: Int, labels: [String]?, cols: Int, labelColors: [String]?, cellSize: Double,
          draw: (Axes, Int) throws -> Void) throws -> Figure {
    guard count > 0 else { throw PlotError("imageGrid needs at least one image") }
    if let l = labels, l.count != count { throw PlotError("imageGrid got \(count) images but \(l.count) labels") }
    let c = max(1, min(cols, count))
    let r = (count + c - 1) / c
    let hasLabels = labels != nil
    let fig = Figure(figsize: (Double(c) * cellSize, Double(r) * (cellSize + (hasLabels ? 0.22 : 0))))
    let axes = fig.subplots(r, c)
    for (i, ax) in axes.enumerated() {
        ax.axis("off")
        guard i < count else { continue }
        try draw(ax, i)
        if let l = labels {
            ax.title(l[i], fontsize: 11, color: labelColors.flatMap { i < $0.count ? $0[i] : nil })
        }
    }
    return fig
}

/// A confusion-matrix heat map: rows are true classes, columns predicted ones, counts written in the cells
/// (white on dark cells), class names on both axes. `normalize` shows each row as fractions of its total.
public func confusionMatrix(_ matrix: [[Int]], classNames: [String]? = nil, normalize: Bool = false,
                            title: String? = "Confusion matrix", cmap: String = "Blues") throws -> Figure {
    let n = matrix.count
    guard n > 0, matrix.allSatisfy({ $0.count == n }) else { throw PlotError("a confusion matrix must be square and non-empty") }
    let names = classNames ?? (0..<n).map(String.init)
    guard names.count == n else { throw PlotError("\(n) classes but \(names.count) class names") }
    let values: [[Double]] = matrix.map { row in
        let total = Double(row.reduce(0, +))
        return row.map { normalize ? (total > 0 ? Double($0) / total : 0) : Double($0) }
    }
    let side = max(4.2, Double(n) * 0.5 + 2.4)
    let fig = Figure(figsize: (side, side))
    let ax = fig.gca()
    let maxV = values.joined().max() ?? 1
    try ax.imshow(values, cmap: cmap, vmin: 0, vmax: max(maxV, normalize ? 1e-12 : 1))
    guard let map = Colormap(name: cmap) else { throw PlotError("'\(cmap)' is not a valid value for cmap") }
    for r in 0..<n {
        for c in 0..<n {
            let v = values[r][c]
            let cell = map.color(maxV > 0 ? v / maxV : 0)
            let text = normalize ? String(format: "%.2f", v) : String(matrix[r][c])
            ax.cellText.append((Double(c), Double(r), text, cell.luminance < 0.5 ? RGBColor(1, 1, 1) : RGBColor(0.1, 0.1, 0.1)))
        }
    }
    ax.xticks((0..<n).map(Double.init), labels: names, rotation: names.contains { $0.count > 3 } ? 45 : 0)
    ax.yticks((0..<n).map(Double.init), labels: names)
    ax.xlabel("Predicted")
    ax.ylabel("True")
    if let t = title { ax.title(t) }
    return fig
}

/// The confusion matrix of integer labels: `matrix[true][predicted]` counts.
public func confusionCounts(true truth: [Int], predicted: [Int], classes: Int) throws -> [[Int]] {
    guard truth.count == predicted.count else { throw PlotError("\(truth.count) true labels but \(predicted.count) predictions") }
    var m = Array(repeating: Array(repeating: 0, count: classes), count: classes)
    for (t, p) in zip(truth, predicted) {
        guard (0..<classes).contains(t), (0..<classes).contains(p) else { throw PlotError("label out of range 0..<\(classes): true \(t), predicted \(p)") }
        m[t][p] += 1
    }
    return m
}
