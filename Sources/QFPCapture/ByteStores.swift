// Little-endian appends for the writers; they reserve capacity up front, so these only copy.
extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendLittleEndian(_ value: UInt16) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func appendLittleEndian(_ value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends `count` zero bytes, up to the next multiple of 4 after `length` bytes.
    @inline(__always)
    mutating func appendPadding(after length: Int) {
        for _ in 0 ..< (4 - (length & 3)) & 3 { append(0) }
    }
}
