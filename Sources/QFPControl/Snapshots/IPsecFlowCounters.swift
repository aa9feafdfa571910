/// The `#pkts` counters of one flow in `show crypto ipsec sa [detail]`.
///
/// The first six lines print in both forms; `sendErrors`/`receiveErrors` print only without
/// `detail` (`#send errors N, #recv errors N`); the remaining counters print only with `detail`,
/// which replaces the errors line by nine lines. IOS refreshes these from the forwarding
/// processor periodically on ASR 1000, so they may lag the data-plane counters.
public struct IPsecFlowCounters: Sendable, Equatable, Codable {
    /// `#pkts encaps`: packets encapsulated outbound.
    public var encaps: UInt64 = 0
    /// `#pkts encrypt`.
    public var encrypt: UInt64 = 0
    /// `#pkts digest`: outbound packets given an ICV.
    public var digest: UInt64 = 0
    /// `#pkts decaps`: packets decapsulated inbound.
    public var decaps: UInt64 = 0
    /// `#pkts decrypt`.
    public var decrypt: UInt64 = 0
    /// `#pkts verify`: inbound packets whose ICV was checked.
    public var verify: UInt64 = 0
    /// `#pkts compressed` (IPComp; always 0 here).
    public var compressed: UInt64 = 0
    /// `#pkts decompressed`.
    public var decompressed: UInt64 = 0
    /// `#pkts not compressed`.
    public var notCompressed: UInt64 = 0
    /// `#pkts compr. failed`.
    public var compressionFailed: UInt64 = 0
    /// `#pkts not decompressed`.
    public var notDecompressed: UInt64 = 0
    /// `#pkts decompress failed`.
    public var decompressionFailed: UInt64 = 0
    /// `#send errors` (plain form only): outbound failures of any kind.
    public var sendErrors: UInt64 = 0
    /// `#recv errors` (plain form only): inbound failures of any kind.
    public var receiveErrors: UInt64 = 0
    /// `#pkts no sa (send)` (detail).
    public var noSASend: UInt64 = 0
    /// `#pkts invalid sa (rcv)` (detail).
    public var invalidSAReceive: UInt64 = 0
    /// `#pkts encaps failed (send)` (detail).
    public var encapsFailedSend: UInt64 = 0
    /// `#pkts decaps failed (rcv)` (detail).
    public var decapsFailedReceive: UInt64 = 0
    /// `#pkts invalid prot (recv)` (detail).
    public var invalidProtocolReceive: UInt64 = 0
    /// `#pkts verify failed:` (detail): ICV failures.
    public var verifyFailed: UInt64 = 0
    /// `#pkts invalid identity (recv)` (detail).
    public var invalidIdentityReceive: UInt64 = 0
    /// `#pkts invalid len (rcv)` (detail).
    public var invalidLengthReceive: UInt64 = 0
    /// `#pkts replay rollover (send):` (detail): outbound sequence number exhaustion.
    public var replayRolloverSend: UInt64 = 0
    /// `#pkts replay rollover (rcv)` (detail).
    public var replayRolloverReceive: UInt64 = 0
    /// `##pkts replay failed (rcv):` (detail, the doubled `#` is IOS's): anti-replay drops.
    public var replayFailedReceive: UInt64 = 0
    /// `#pkts tagged (send):` (detail, TrustSec inline tagging).
    public var taggedSend: UInt64 = 0
    /// `#pkts untagged (rcv):` (detail).
    public var untaggedReceive: UInt64 = 0
    /// `#pkts not tagged (send):` (detail).
    public var notTaggedSend: UInt64 = 0
    /// `#pkts not untagged (rcv):` (detail).
    public var notUntaggedReceive: UInt64 = 0
    /// `#pkts internal err (send):` (detail).
    public var internalErrorSend: UInt64 = 0
    /// `#pkts internal err (recv)` (detail).
    public var internalErrorReceive: UInt64 = 0

    /// All zero.
    public init() {}

    /// The common case: encaps = encrypt = digest and decaps = decrypt = verify.
    public init(encapsulated: UInt64, decapsulated: UInt64) {
        encaps = encapsulated
        encrypt = encapsulated
        digest = encapsulated
        decaps = decapsulated
        decrypt = decapsulated
        verify = decapsulated
    }

    enum CodingKeys: String, CodingKey {
        case encaps = "pkts_encaps"
        case encrypt = "pkts_encrypt"
        case digest = "pkts_digest"
        case decaps = "pkts_decaps"
        case decrypt = "pkts_decrypt"
        case verify = "pkts_verify"
        case compressed = "pkts_compressed"
        case decompressed = "pkts_decompressed"
        case notCompressed = "pkts_not_compressed"
        case compressionFailed = "pkts_compr_failed"
        case notDecompressed = "pkts_not_decompressed"
        case decompressionFailed = "pkts_decompress_failed"
        case sendErrors = "send_errors"
        case receiveErrors = "recv_errors"
        case noSASend = "pkts_no_sa_send"
        case invalidSAReceive = "pkts_invalid_sa_rcv"
        case encapsFailedSend = "pkts_encaps_failed_send"
        case decapsFailedReceive = "pkts_decaps_failed_rcv"
        case invalidProtocolReceive = "pkts_invalid_prot_recv"
        case verifyFailed = "pkts_verify_failed"
        case invalidIdentityReceive = "pkts_invalid_identity_recv"
        case invalidLengthReceive = "pkts_invalid_len_rcv"
        case replayRolloverSend = "pkts_replay_rollover_send"
        case replayRolloverReceive = "pkts_replay_rollover_rcv"
        case replayFailedReceive = "pkts_replay_failed_rcv"
        case taggedSend = "pkts_tagged_send"
        case untaggedReceive = "pkts_untagged_rcv"
        case notTaggedSend = "pkts_not_tagged_send"
        case notUntaggedReceive = "pkts_not_untagged_rcv"
        case internalErrorSend = "pkts_internal_err_send"
        case internalErrorReceive = "pkts_internal_err_recv"
    }
}
