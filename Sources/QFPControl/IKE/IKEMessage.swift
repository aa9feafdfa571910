import QFPDataplane

/// An IKE message the router (or an emulated peer) sends, in the terms of the IKE model: which
/// exchange, which payloads, which SPIs. `IKEWire` turns it into the bytes of a UDP datagram
/// (RFC 2408/2409 for IKEv1, RFC 7296 for IKEv2, RFC 3706 for DPD) and back.
public struct IKEMessage: Equatable, Sendable {
    public enum Version: UInt8, Equatable, Sendable {
        case ikev1 = 1
        case ikev2 = 2
    }

    /// What the message carries.
    public enum Body: Equatable, Sendable {
        /// IKEv1 Informational (HASH, Delete; protocol ESP) or IKEv2 INFORMATIONAL (Delete, ESP):
        /// "stop using these ESP SPIs".
        case deleteESP(spis: [UInt32])
        /// Delete of the IKE SA itself (IKEv1: protocol ISAKMP with the cookies; IKEv2: protocol IKE).
        case deleteIKE
        /// INVALID-SPI notify (IKEv1 type 11, protocol ESP, SPI = the offending SPI; IKEv2 type 11,
        /// notification data = the offending SPI).
        case invalidSPI(spi: UInt32)
        /// DPD probe: IKEv1 R-U-THERE (36136, protocol ISAKMP, SPI = the cookies, data = sequence);
        /// IKEv2 an empty INFORMATIONAL request (liveness check).
        case dpdRequest(sequence: UInt32)
        /// DPD answer: IKEv1 R-U-THERE-ACK (36137); IKEv2 an empty INFORMATIONAL response.
        case dpdResponse(sequence: UInt32)
    }

    public var version: Version
    /// Initiator's IKE SPI (IKEv1: initiator cookie).
    public var initiatorSPI: UInt64
    /// Responder's IKE SPI (IKEv1: responder cookie).
    public var responderSPI: UInt64
    /// IKEv1: the Informational exchange's message ID (random, non-zero). IKEv2: the message ID
    /// of the exchange (request and response share it).
    public var messageID: UInt32
    /// Whether the sender is the original initiator of the IKE SA (IKEv2 I flag).
    public var fromInitiator: Bool
    /// IKEv2: whether this is a response (R flag).
    public var isResponse: Bool
    public var body: Body

    public init(version: Version, initiatorSPI: UInt64, responderSPI: UInt64, messageID: UInt32,
                fromInitiator: Bool, isResponse: Bool = false, body: Body) {
        self.version = version
        self.initiatorSPI = initiatorSPI
        self.responderSPI = responderSPI
        self.messageID = messageID
        self.fromInitiator = fromInitiator
        self.isResponse = isResponse
        self.body = body
    }
}

/// An IKE message on the wire: addresses, ports (500, or 4500 with the non-ESP marker) and the
/// message.
public struct IKEDatagram: Equatable, Sendable {
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var message: IKEMessage

    public init(source: IPAddress, destination: IPAddress, sourcePort: UInt16 = 500, destinationPort: UInt16 = 500,
                message: IKEMessage) {
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.message = message
    }
}
