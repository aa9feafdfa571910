/// The unit of a capture's timestamps: 10^-n or 2^-n seconds.
///
/// Classic pcap uses `.powerOfTen(6)` (microseconds) or `.powerOfTen(9)` (nanoseconds); pcapng
/// states it per interface in the `if_tsresol` option, whose high bit selects the power of two.
public enum TimestampResolution: Hashable, Sendable {
    /// Units of 10^-n seconds.
    case powerOfTen(UInt8)
    /// Units of 2^-n seconds.
    case powerOfTwo(UInt8)

    /// Microseconds, classic pcap's default and pcapng's when `if_tsresol` is absent.
    public static let microseconds = TimestampResolution.powerOfTen(6)
    /// Nanoseconds.
    public static let nanoseconds = TimestampResolution.powerOfTen(9)

    /// Decodes an `if_tsresol` byte.
    public init(ifTsresol byte: UInt8) {
        self = byte & 0x80 == 0 ? .powerOfTen(byte) : .powerOfTwo(byte & 0x7F)
    }

    /// Converts a count of these units to nanoseconds, or `nil` when that overflows `UInt64`.
    /// Finer units than nanoseconds are truncated.
    public func inNanoseconds(_ units: UInt64) -> UInt64? {
        switch self {
        case .powerOfTen(let n):
            if n == 9 { return units }
            if n < 9 {
                let (product, overflow) = units.multipliedReportingOverflow(by: Self.decimalScale(9 - Int(n)))
                return overflow ? nil : product
            }
            // 10^20 exceeds every UInt64, so beyond that the quotient is 0.
            let exponent = Int(n) - 9
            return exponent > 19 ? 0 : units / Self.decimalScale(exponent)
        case .powerOfTwo(let n):
            // units × 10^9 / 2^n in 128 bits, shifted down.
            let shift = Int(n & 0x7F)
            let (high, low) = units.multipliedFullWidth(by: 1_000_000_000)
            if shift >= 64 {
                return shift >= 128 ? 0 : high >> UInt64(shift - 64)
            }
            if shift == 0 { return high == 0 ? low : nil }
            if high >> UInt64(shift) != 0 { return nil }
            return (low >> UInt64(shift)) | (high << UInt64(64 - shift))
        }
    }

    private static func decimalScale(_ n: Int) -> UInt64 {
        var value: UInt64 = 1
        for _ in 0..<n { value &*= 10 }
        return value
    }
}
