import Foundation
import SomaTensor

/// Per-row cross-entropy of logits, fused with log-softmax in one pass forward and one backward.
/// Row i's loss is `-Σ_c a_ic · log softmax(x_i)_c` with coefficients `a` from the target:
/// `(1-ε)·w_c·[c = t_i] + ε·w_c / C` for class indices, `w_c·((1-ε)·y_ic + ε/C)` for probabilities;
/// its gradient is `p_ij · Σ_c a_ic - a_ij`.
enum CrossEntropyKernel {
    enum Target {
        case indices(Tensor, ignoreIndex: Int)
        case probabilities(Tensor)
    }

    static func rows(_ logits: Tensor, _ target: Target, weight: Tensor?, smoothing: Double) throws -> Tensor {
        let x = try logits.detach().to(logits.dtype.isFloatingPoint ? logits.dtype : .float32).contiguous()
        let rows = x.shape[0], classes = x.shape[1]
        let w = try weight.map { try $0.detach().to(.float64).contiguous() }
        let labels: Tensor?, probs: Tensor?, ignore: Int
        switch target {
        case .indices(let t, let ig):
            labels = try t.contiguous()
            probs = nil
            ignore = ig
        case .probabilities(let y):
            labels = nil
            probs = try y.to(.float64).contiguous()
            ignore = Int.min
        }
        let losses = try Tensor.empty([rows], dtype: x.dtype)
        let coefficientSums = try Tensor.empty([rows], dtype: .float64)
        let spec = Spec(rows: rows, classes: classes, labels: labels?.unsafeData(as: Int64.self), probs: probs?.unsafeData(as: Double.self),
                        weight: w?.unsafeData(as: Double.self), smoothing: smoothing, ignore: ignore)
        if x.dtype == .float32 {
            forward(spec, x.unsafeData(as: Float.self), losses.unsafeData(as: Float.self), coefficientSums.unsafeData(as: Double.self))
        } else {
            forward(spec, x.unsafeData(as: Double.self), losses.unsafeData(as: Double.self), coefficientSums.unsafeData(as: Double.self))
        }
        if GradMode.records(logits) {
            let keep = [labels, probs, w].compactMap { $0 }
            losses.recorded("NllLossBackward0", [logits]) { g in
                _ = keep
                let grad = try Tensor.empty([rows, classes], dtype: x.dtype)
                let gRows = try g.to(x.dtype).contiguous()
                if x.dtype == .float32 {
                    backward(spec, x.unsafeData(as: Float.self), gRows.unsafeData(as: Float.self), coefficientSums.unsafeData(as: Double.self),
                             grad.unsafeData(as: Float.self))
                } else {
                    backward(spec, x.unsafeData(as: Double.self), gRows.unsafeData(as: Double.self), coefficientSums.unsafeData(as: Double.self),
                             grad.unsafeData(as: Double.self))
                }
                return [grad]
            }
        }
        return losses
    }

    struct Spec {
        let rows: Int, classes: Int
        let labels: UnsafeMutablePointer<Int64>?
        let probs: UnsafeMutablePointer<Double>?
        let weight: UnsafeMutablePointer<Double>?
        let smoothing: Double, ignore: Int

        /// Coefficient a_ic of row i, class c.
        @inline(__always)
        func coefficient(_ i: Int, _ c: Int) -> Double {
            let w = weight?[c] ?? 1
            if let probs { return w * ((1 - smoothing) * probs[i * classes + c] + smoothing / Double(classes)) }
            let t = Int(labels![i])
            if t == ignore { return 0 }
            return w * ((c == t ? 1 - smoothing : 0) + smoothing / Double(classes))
        }
    }

    private static func forward<T: BinaryFloatingPoint>(_ s: Spec, _ x: UnsafeMutablePointer<T>, _ out: UnsafeMutablePointer<T>,
                                                        _ sums: UnsafeMutablePointer<Double>) {
        let C = s.classes
        for i in 0..<s.rows {
            let row = x + i * C
            var m = Double(row[0])
            for c in 1..<C where Double(row[c]) > m { m = Double(row[c]) }
            var total = 0.0
            for c in 0..<C { total += Foundation.exp(Double(row[c]) - m) }
            let lse = m + Foundation.log(total)
            var loss = 0.0, a = 0.0
            if s.probs == nil && s.smoothing == 0 {
                let t = Int(s.labels![i])
                if t != s.ignore {
                    let w = s.weight?[t] ?? 1
                    loss = w * (lse - Double(row[t]))
                    a = w
                }
            } else {
                for c in 0..<C {
                    let k = s.coefficient(i, c)
                    loss += k * (lse - Double(row[c]))
                    a += k
                }
            }
            out[i] = T(loss)
            sums[i] = a
        }
    }

    private static func backward<T: BinaryFloatingPoint>(_ s: Spec, _ x: UnsafeMutablePointer<T>, _ g: UnsafeMutablePointer<T>,
                                                         _ sums: UnsafeMutablePointer<Double>, _ grad: UnsafeMutablePointer<T>) {
        let C = s.classes
        for i in 0..<s.rows {
            let row = x + i * C, out = grad + i * C
            let gi = Double(g[i]), a = sums[i]
            var m = Double(row[0])
            for c in 1..<C where Double(row[c]) > m { m = Double(row[c]) }
            var total = 0.0
            for c in 0..<C { total += Foundation.exp(Double(row[c]) - m) }
            let scale = gi * a / total
            for c in 0..<C { out[c] = T(Foundation.exp(Double(row[c]) - m) * scale) }
            if s.probs == nil && s.smoothing == 0 {
                let t = Int(s.labels![i])
                if t != s.ignore { out[t] -= T(gi * (s.weight?[t] ?? 1)) }
            } else {
                for c in 0..<C { out[c] -= T(gi * s.coefficient(i, c)) }
            }
        }
    }
}
