/// A 48-bit Ethernet address.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six octets, first on the wire first.
    public let octets: [UInt8]

    /// The address from six octets (precondition: exactly six).
    public init(octets: [UInt8]) {
        precondition(octets.count == 6, "a MAC address has 6 octets, not \(octets.count)")
        self.octets = octets
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (or with `-` between the octets, or Cisco's `aabb.ccdd.eeff`);
    /// nil for anything else.
    public init?(_ text: String) {
        func groups(_ separator: Character) -> [Substring] {
            text.split(separator: separator, omittingEmptySubsequences: false)
        }
        let hex: String
        if groups(":").count == 6, groups(":").allSatisfy({ $0.count == 2 }) {
            hex = groups(":").joined()
        } else if groups("-").count == 6, groups("-").allSatisfy({ $0.count == 2 }) {
            hex = groups("-").joined()
        } else if groups(".").count == 3, groups(".").allSatisfy({ $0.count == 4 }) {
            hex = groups(".").joined()
        } else {
            hex = text
        }
        guard hex.count == 12, hex.allSatisfy(\.isHexDigit) else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        for _ in 0..<6 {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        octets = bytes
    }

    /// ff:ff:ff:ff:ff:ff.
    public static let broadcast = MACAddress(octets: [UInt8](repeating: 0xFF, count: 6))

    public var description: String {
        octets.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }
}

/// How a live port binds to a Linux interface and frames what it sends.
///
/// Receive: a TPACKET_V3 ring of `blockCount` blocks of `blockSize` bytes, mapped into the
/// process; the kernel hands a block over when it is full or `blockTimeoutMilliseconds` after
/// its first frame. Transmit: `send(2)` on the same packet socket, one frame per forwarded
/// packet, Ethernet header prepended in the buffer's headroom.
public struct PortConfiguration: Sendable, Equatable {
    /// The Linux interface (`eth1`, `veth-qfp`, ...).
    public var device: String
    /// The pipeline's input-interface index stamped on received packets (1 like `qfp replay`).
    public var inputInterface: UInt16 = 1
    /// Source address of transmitted frames; nil: the interface's own address.
    public var sourceMAC: MACAddress? = nil
    /// Destination address of transmitted frames; nil: learned, the source address of the
    /// latest frame received (the peer on a point-to-point link), broadcast until one arrives.
    public var destinationMAC: MACAddress? = nil
    /// Bytes per ring block (a multiple of the page size, a power of two).
    public var blockSize: Int = 1 << 17
    /// Blocks in the receive ring.
    public var blockCount: Int = 32
    /// Nominal frame size given to the kernel (TPACKET_V3 packs frames of any size in a block).
    public var frameSize: Int = 2048
    /// Milliseconds after which the kernel hands over a block that is not full.
    public var blockTimeoutMilliseconds: Int = 2
    /// Packets handed to the pipeline per `send` (and taken per transmit-ring dequeue).
    public var burstSize: Int = 32
    /// The CPU to pin the port thread to; nil: unpinned.
    public var cpu: Int? = nil

    public init(device: String) { self.device = device }
}
