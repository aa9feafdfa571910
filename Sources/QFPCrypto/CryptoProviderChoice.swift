import QFPDataplane

/// Which implementation of the ESP transforms the data plane uses (`--crypto-provider`).
public enum CryptoProviderChoice: String, Sendable, CaseIterable {
    /// intel-ipsec-mb when libIPSec_MB.so.1 loads, else BoringSSL.
    case auto
    /// intel-ipsec-mb (`IPsecMBProvider`); an error when the library is missing.
    case ipsecMB = "ipsec-mb"
    /// BoringSSL through swift-crypto's copy (`SwiftCryptoProvider`).
    case boringSSL = "boringssl"

    /// The provider this choice stands for on this machine, with its display name
    /// ("ipsec-mb (avx512)", "boringssl"). Cold path: loads intel-ipsec-mb on first use.
    public func select() throws(CryptoProviderError) -> SelectedCryptoProvider {
        switch self {
        case .boringSSL:
            return SelectedCryptoProvider(provider: SwiftCryptoProvider(), name: "boringssl")
        case .ipsecMB:
            let provider = try IPsecMBProvider()
            return SelectedCryptoProvider(provider: provider, name: "ipsec-mb (\(IPsecMBProvider.architecture))")
        case .auto:
            if IPsecMBProvider.isAvailable {
                return SelectedCryptoProvider(provider: try IPsecMBProvider(), name: "ipsec-mb (\(IPsecMBProvider.architecture))")
            }
            return SelectedCryptoProvider(provider: SwiftCryptoProvider(), name: "boringssl")
        }
    }

    /// The data plane's default: `auto`, which cannot fail.
    public static var automatic: SelectedCryptoProvider {
        if IPsecMBProvider.isAvailable, let provider = try? IPsecMBProvider() {
            return SelectedCryptoProvider(provider: provider, name: "ipsec-mb (\(IPsecMBProvider.architecture))")
        }
        return SelectedCryptoProvider(provider: SwiftCryptoProvider(), name: "boringssl")
    }
}

/// A provider and the name reports give it.
public struct SelectedCryptoProvider: Sendable {
    public let provider: any ESPCryptoProvider
    /// "ipsec-mb (avx512)" or "boringssl" (outbound CBC + HMAC is BoringSSL under both; see IPsecMBProvider).
    public let name: String
}

/// A provider that cannot be used here.
public enum CryptoProviderError: Error, Equatable, CustomStringConvertible {
    /// intel-ipsec-mb did not load; the reason names the library and the package.
    case unavailable(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): "crypto provider ipsec-mb (intel-ipsec-mb) is not available: \(reason)"
        }
    }
}
