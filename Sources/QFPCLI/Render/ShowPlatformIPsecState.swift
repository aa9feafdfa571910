import QFPControl

/// `show platform hardware qfp active feature ipsec state` in IOS XE layout.
///
/// Source: genieparser `ShowPlatformHardwareQfpActiveFeatureIpsecState/golden_output_1` and
/// `_2` (the only captures found; their second row was left without trailing spaces and repeats
/// the type `Initialize`, so both look hand-edited):
/// ```
/// QFP IPSEC state:
///
///  Crypto throughput license (kbps) (Aggregate): 10000 
/// Message counter:
///   Type                  Request          Reply (OK)       Reply (Error)    
///   -----------------------------------------------------------------------
///   Initialize            1                1                0              
/// ```
/// Header cells start at columns 3, 25, 42, 59 (`%-22s%-17s%-17s%-17s` after two spaces, 75
/// characters); rows use the same starts with the last cell padded to 15 (73 characters, the
/// rule's length), as the first captured row is. Both captures end with two lines holding one
/// space each, reproduced here [I: their origin is unknown].
public enum ShowPlatformIPsecState {
    /// Renders the whole command output.
    public static func render(_ s: QFPIPsecStateSnapshot) -> String {
        var out = "QFP IPSEC state:\n\n"
        if let kbps = s.throughputKbps {
            out += " Crypto throughput license (kbps) (Aggregate): \(kbps) \n"
        } else {
            out += " Configured throughput sucessfully:unlimited \n"
        }
        out += "Message counter:\n"
        out += "  " + IOSText.padded("Type", to: 22) + IOSText.padded("Request", to: 17)
            + IOSText.padded("Reply (OK)", to: 17) + IOSText.padded("Reply (Error)", to: 17) + "\n"
        out += "  " + String(repeating: "-", count: 71) + "\n"
        for m in s.messages {
            out += "  " + IOSText.padded(m.type, to: 22) + IOSText.padded(String(m.requests), to: 17)
                + IOSText.padded(String(m.repliesOK), to: 17) + IOSText.padded(String(m.repliesError), to: 15) + "\n"
        }
        return out + " \n \n"
    }
}
