#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an axis maps values to positions.
public enum AxisScale: Sendable, Equatable {
    /// Evenly spaced "nice" ticks (1, 2 or 5 × 10ⁿ apart).
    case linear
    /// Decades (1, 10, 100 …), with 2× and 5× ticks when the data spans two decades or less.
    /// Values ≤ 0 cannot be placed and are left out.
    case log10
    /// Percentiles on HdrHistogram's "nines" scale: position = −log₁₀(1 − p/100), so 0 %, 90 %,
    /// 99 %, 99.9 %, 99.99 % are evenly spaced. 100 % is infinitely far and is left out.
    case nines
}

/// How tick labels are written.
public enum TickFormat: Sendable, Equatable {
    /// As many decimals as the tick spacing needs (`0.5`, `10`, `2500`).
    case plain
    /// With k/M/G suffixes (`100k`, `1M`).
    case si
}

/// One axis of a chart: what it measures, in what unit, and how it is scaled.
public struct Axis: Sendable, Equatable {
    public var label: String
    public var unit: String?
    public var scale: AxisScale
    public var format: TickFormat
    /// Linear axes only: the range starts at 0 (or below, for negative data).
    public var includesZero: Bool
    /// Linear axes only: ticks at whole numbers only (worker counts).
    public var integerTicks: Bool

    public init(_ label: String, unit: String? = nil, scale: AxisScale = .linear, format: TickFormat = .plain,
                includesZero: Bool = true, integerTicks: Bool = false) {
        self.label = label
        self.unit = unit
        self.scale = scale
        self.format = format
        self.includesZero = includesZero
        self.integerTicks = integerTicks
    }

    /// `label (unit)`.
    public var title: String { unit.map { "\(label) (\($0))" } ?? label }
}

/// An axis fitted to data: its range on the transformed scale, its ticks and their labels.
struct ResolvedAxis {
    let scale: AxisScale
    /// Range in transformed units (log₁₀ of the value for `.log10`, nines for `.nines`).
    let low: Double
    let high: Double
    let ticks: [(position: Double, label: String)]

    /// The value in transformed units, nil where the scale cannot place it.
    static func transform(_ v: Double, _ scale: AxisScale) -> Double? {
        guard v.isFinite else { return nil }
        switch scale {
        case .linear: return v
        case .log10: return v > 0 ? log10Value(v) : nil
        case .nines: return v >= 0 && v < 100 ? -log10Value(1 - v / 100) : nil
        }
    }

    /// Where `v` falls, 0 at the low end and 1 at the high end; nil when it cannot be placed.
    func fraction(_ v: Double) -> Double? {
        guard let t = Self.transform(v, scale) else { return nil }
        return (t - low) / (high - low)
    }

    /// Fits `axis` to `values`; `padding` widens a linear range by that fraction on each side
    /// (so markers at the ends are not cut by the frame).
    init(_ axis: Axis, values: [Double], padding: Double = 0) {
        scale = axis.scale
        let placed = values.compactMap { Self.transform($0, axis.scale) }
        switch axis.scale {
        case .linear:
            var lo = placed.min() ?? 0, hi = placed.max() ?? 1
            if axis.includesZero { lo = min(lo, 0); hi = max(hi, 0) }
            if hi - lo <= 0 { let d = lo == 0 ? 1 : abs(lo) * 0.5; lo -= axis.includesZero && lo >= 0 ? 0 : d; hi += d }
            var step = Self.niceStep(hi - lo, target: 5)
            if axis.integerTicks { step = max(1, step.rounded()) }
            let first = (lo / step + 1e-9).rounded(.down), last = (hi / step - 1e-9).rounded(.up)
            var lowEnd = first * step, highEnd = last * step
            let decimals = max(0, -Int((log10Value(step)).rounded(.down)))
            var ticks: [(Double, String)] = []
            var k = first
            while k <= last + 1e-9 {
                let v = k * step
                ticks.append((v, axis.format == .si ? NumberText.si(v) : NumberText.fixed(v, decimals)))
                k += 1
            }
            if axis.integerTicks || padding > 0 {
                let pad = (highEnd - lowEnd) * padding
                lowEnd -= pad
                highEnd += pad
            }
            low = lowEnd
            high = highEnd
            self.ticks = ticks
        case .log10:
            let lo = ((placed.min() ?? 0) + 1e-9).rounded(.down)
            var hi = ((placed.max() ?? 1) - 1e-9).rounded(.up)
            if hi <= lo { hi = lo + 1 }
            low = lo
            high = hi
            var ticks: [(Double, String)] = []
            var e = lo
            while e <= hi + 1e-9 {
                let decade = NumberText.power10(Int(e))
                let multiples: [Double] = hi - lo <= 2 ? [1, 2, 5] : [1]
                for m in multiples where e + log10Value(m) <= hi + 1e-9 {
                    let v = m * decade
                    ticks.append((log10Value(v), axis.format == .si ? NumberText.si(v) : NumberText.trimmed(v, 6)))
                }
                e += 1
            }
            self.ticks = ticks
        case .nines:
            // The tolerance keeps 99.99 % (4.0000000000000x nines in floating point) at 4.
            let top = min(7, max(2, ((placed.max() ?? 2) - 1e-9).rounded(.up)))
            low = 0
            high = top
            ticks = (0...Int(top)).map { (Double($0), Self.ninesLabel($0)) }
        }
    }

    /// 0 → `0%`, 1 → `90%`, 2 → `99%`, 3 → `99.9%`, 4 → `99.99%`.
    static func ninesLabel(_ n: Int) -> String {
        switch n {
        case 0: "0%"
        case 1: "90%"
        case 2: "99%"
        default: "99." + String(repeating: "9", count: n - 2) + "%"
        }
    }

    /// 1, 2 or 5 × 10ⁿ, about `range / target`.
    static func niceStep(_ range: Double, target: Int) -> Double {
        let raw = range / Double(target)
        let magnitude = NumberText.power10(Int(log10Value(raw).rounded(.down)))
        let f = raw / magnitude
        let nice: Double = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
        return nice * magnitude
    }
}

/// The C library's log₁₀, named apart from `AxisScale.log10`.
@inline(__always) func log10Value(_ x: Double) -> Double { log10(x) }
