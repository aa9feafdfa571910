// Fixed-width loads in a chosen byte order. Callers check bounds first: these do not.
extension UnsafeRawBufferPointer {
    @inline(__always)
    func uint16(at offset: Int, bigEndian: Bool) -> UInt16 {
        let value = loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return bigEndian ? UInt16(bigEndian: value) : UInt16(littleEndian: value)
    }

    @inline(__always)
    func uint32(at offset: Int, bigEndian: Bool) -> UInt32 {
        let value = loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return bigEndian ? UInt32(bigEndian: value) : UInt32(littleEndian: value)
    }
}
