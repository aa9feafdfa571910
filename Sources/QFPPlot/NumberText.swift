#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers as text without locale or `String(format:)`: the same value always gives the same
/// characters, so the same data gives a byte-identical SVG.
public enum NumberText {
    /// `x` rounded to `decimals` places, e.g. `fixed(2.345, 2)` = `2.35`; non-finite values give `0`.
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return "0" }
        let places = max(0, min(decimals, 9))
        let factor = power10(places)
        let scaled = (abs(x) * factor).rounded()
        guard scaled < 9e15 else { return x < 0 ? "-" + String(Int64(abs(x).rounded())) : String(Int64(x.rounded())) }
        let n = Int64(scaled), f = Int64(factor)
        var s = (x < 0 && n != 0 ? "-" : "") + String(n / f)
        if places > 0 {
            let fraction = String(n % f)
            s += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return s
    }

    /// `fixed` without trailing zeros: `12.50` → `12.5`, `3.00` → `3`.
    public static func trimmed(_ x: Double, _ decimals: Int) -> String {
        var s = fixed(x, decimals)
        guard s.contains(".") else { return s }
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// An SVG coordinate: two decimals at most.
    public static func coordinate(_ x: Double) -> String { trimmed(x, 2) }

    /// Three significant digits: `0.0123`, `1.23`, `12.3`, `123`, `12346`.
    public static func significant(_ x: Double) -> String {
        guard x.isFinite, x != 0 else { return "0" }
        let magnitude = Int(floor(log10(abs(x))))
        return trimmed(x, max(0, 2 - magnitude))
    }

    /// With an SI suffix when large: `1500` → `1.5k`, `1000000` → `1M`, `2.5e9` → `2.5G`; smaller
    /// values with three significant digits (`500.495` → `500`, `19.98` → `20`, `0.125` → `0.125`).
    public static func si(_ x: Double) -> String {
        for (factor, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where abs(x) >= factor {
            return trimmed(x / factor, 2) + suffix
        }
        return x == 0 ? "0" : trimmed(x, max(0, 2 - Int(floor(log10(abs(x))))))
    }

    /// 10^n, exact for the small exponents axes use.
    static func power10(_ n: Int) -> Double {
        var r = 1.0
        if n >= 0 { for _ in 0..<n { r *= 10 } } else { for _ in 0..<(-n) { r /= 10 } }
        return r
    }
}
