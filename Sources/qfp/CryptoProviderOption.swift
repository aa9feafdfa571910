import ArgumentParser
import QFPCrypto

/// `--crypto-provider auto|ipsec-mb|boringssl` on `qfp run` and `qfp bench`.
extension CryptoProviderChoice: ExpressibleByArgument {}

extension CryptoProviderChoice {
    /// The help text of the flag (one place for both commands).
    static let help = ArgumentHelp(
        "ESP crypto of the data plane: auto (intel-ipsec-mb when libIPSec_MB.so.1 loads, else BoringSSL), ipsec-mb, or boringssl.",
        valueName: "auto|ipsec-mb|boringssl")

    /// `select()`, with the failure as the command's error.
    func selectForCommand() throws -> SelectedCryptoProvider {
        do { return try select() } catch { throw QFPFailure("--crypto-provider \(rawValue): \(error.description)") }
    }
}
