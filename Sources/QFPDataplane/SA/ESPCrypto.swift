/// The data plane's boundary to the ESP cryptography: a per-SA context whose first bytes are a
/// table of C function pointers (a C-style vtable).
///
/// Why this shape: the ciphers come from swift-crypto, which imports Foundation, and
/// QFPDataplane must stay free of Foundation, existentials and ARC on its hot path. So the
/// cryptography lives in another module (QFPCrypto) that depends on this one, and reaches the
/// workers only as raw memory: the control plane asks an `ESPCryptoProvider` for a context when
/// it installs an SA (cold path; keys are expanded there once), the context pointer travels in
/// the SA slot, and a worker calls `verify`/`decrypt`/`seal` through the table — an indirect
/// call with trivial arguments, no protocol witness, no retain, no global lookup. A provider
/// may be replaced (for example by one calling a C library directly) without touching the
/// data plane. ESP-NULL SAs have no context. A provider may also open inbound packets a burst
/// at a time (`ESPCryptoBurst`, one engine per worker); the table stays the per-packet path.
///
/// Contract of the functions (all work in place inside the packet buffer, offsets from the
/// start of the IP datagram):
/// - `verify(context, packet, espStart, end)`: checks the ICV over `espStart ..< end - icv`
///   (ESP header, IV, ciphertext) against the ICV at `end - icv`. A combined-mode (AEAD)
///   transform also decrypts here, writing the plaintext only when the ICV is good. The caller
///   guarantees `end - espStart >= 8 + iv + icv`.
/// - `decrypt(context, packet, payloadStart, payloadEnd)`: decrypts the ciphertext (IV just
///   before `payloadStart`); returns false when the length is not a whole number of blocks.
///   A no-op for AEAD.
/// - `seal(context, packet, espStart, payloadStart, icvStart)`: writes the IV before
///   `payloadStart`, encrypts `payloadStart ..< icvStart` (payload, padding, trailer) and writes
///   the ICV at `icvStart`. The ESP header (SPI, sequence number) is already in place.
@frozen
public struct ESPCryptoFunctions {
    public typealias Verify = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int, Int) -> Bool
    public typealias Decrypt = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int, Int) -> Bool
    public typealias Seal = @convention(c) (UnsafeMutableRawPointer, UnsafeMutableRawPointer, Int, Int, Int) -> Void

    public var verify: Verify
    public var decrypt: Decrypt
    public var seal: Seal

    public init(verify: Verify, decrypt: Decrypt, seal: Seal) {
        self.verify = verify
        self.decrypt = decrypt
        self.seal = seal
    }
}

/// A provider's per-SA crypto state: `ESPCryptoFunctions` at offset 0, then whatever the
/// provider keeps (expanded keys, salt). Owned by the control plane (`DataplaneControl`), which
/// releases it through its provider only after the SA's slot is no longer used by any worker.
@frozen
public struct ESPCryptoContext: @unchecked Sendable, Equatable {
    public let base: UnsafeMutableRawPointer

    @inlinable @inline(__always)
    public init(_ base: UnsafeMutableRawPointer) { self.base = base }

    /// Checks the ICV (and decrypts, for AEAD). See `ESPCryptoFunctions`.
    @inlinable @inline(__always)
    public func verify(packet: UnsafeMutableRawPointer, espStart: Int, end: Int) -> Bool {
        base.load(as: ESPCryptoFunctions.self).verify(base, packet, espStart, end)
    }

    /// Decrypts in place (no-op for AEAD). See `ESPCryptoFunctions`.
    @inlinable @inline(__always)
    public func decrypt(packet: UnsafeMutableRawPointer, payloadStart: Int, payloadEnd: Int) -> Bool {
        base.load(as: ESPCryptoFunctions.self).decrypt(base, packet, payloadStart, payloadEnd)
    }

    /// Writes IV, ciphertext and ICV. See `ESPCryptoFunctions`.
    @inlinable @inline(__always)
    public func seal(packet: UnsafeMutableRawPointer, espStart: Int, payloadStart: Int, icvStart: Int) {
        base.load(as: ESPCryptoFunctions.self).seal(base, packet, espStart, payloadStart, icvStart)
    }
}

/// Makes and frees crypto contexts for SAs (cold path: SA install and reclamation).
///
/// Registered with `DataplaneControl.setCryptoProvider(_:)`. QFPCrypto has two:
/// `SwiftCryptoProvider` (BoringSSL, as swift-crypto links it) and `IPsecMBProvider`
/// (AES-GCM on intel-ipsec-mb, loaded at run time); `CryptoProviderChoice` picks one.
public protocol ESPCryptoProvider: Sendable {
    /// A context for `transform` (never `.null`) with `keys`, whose lengths were validated.
    func makeContext(transform: ESPTransform, keys: ESPKeys) throws(DataplaneError) -> ESPCryptoContext
    /// Frees a context made by `makeContext`.
    func releaseContext(_ context: ESPCryptoContext)
    /// A burst engine for one worker, or nil when this provider opens packets one at a time
    /// (then the inbound stage calls each context's `verify`/`decrypt`). Cold path: called
    /// once per worker by `DataplaneControl.setCryptoProvider`.
    func makeBurstEngine() -> ESPCryptoBurst?
    /// Frees an engine made by `makeBurstEngine` (after its worker stopped using it).
    func releaseBurstEngine(_ engine: ESPCryptoBurst)
}

extension ESPCryptoProvider {
    /// Per packet only.
    public func makeBurstEngine() -> ESPCryptoBurst? { nil }
    public func releaseBurstEngine(_ engine: ESPCryptoBurst) {}
}
