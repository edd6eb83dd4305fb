/// pyplot's implicit state: the current figure, created on first use, shown and replaced by `show()`.
/// The language bindings keep one per session.
public final class PlotState {
    public private(set) var current: Figure?
    /// The size of a figure made without one, in inches, asked when the figure is made (pyplot's
    /// `rcParams['figure.figsize']`, which a program may change at any time).
    public var defaultFigsize: () -> (Double, Double) = { (6.4, 4.8) }

    public init() {}

    /// `plt.figure(figsize=)`: starts a new current figure (of `defaultFigsize` when none is given).
    @discardableResult
    public func figure(figsize: (Double, Double)? = nil) -> Figure {
        let f = Figure(figsize: figsize ?? defaultFigsize())
        current = f
        return f
    }

    /// Makes `figure` the current one (helpers such as an image grid build their own figure).
    public func setCurrent(_ figure: Figure) { current = figure }

    /// `plt.gcf()`: the current figure, created if there is none.
    public func gcf() -> Figure { current ?? figure() }

    /// `plt.gca()`: the current figure's first axes.
    public func gca() -> Axes { gcf().gca() }

    /// `plt.subplots(rows, cols, figsize=)`: a new current figure with a grid of axes (row by row).
    public func subplots(_ rows: Int = 1, _ cols: Int = 1, figsize: (Double, Double)? = nil) -> (Figure, [Axes]) {
        let (f, a) = SomaPlot.subplots(rows, cols, figsize: figsize ?? defaultFigsize())
        current = f
        return (f, a)
    }

    /// `plt.show()`: the current figure's bundle (nil when nothing was drawn); the next call starts a new figure.
    public func show() -> MimeBundle? {
        guard let f = current else { return nil }
        current = nil
        return f.mimeBundle()
    }

    /// `plt.savefig(path)`: writes the current figure as SVG (it stays current, as in pyplot).
    public func savefig(_ path: String) throws { try gcf().savefig(path) }

    /// `plt.close()`: forgets the current figure.
    public func close() { current = nil }
}
