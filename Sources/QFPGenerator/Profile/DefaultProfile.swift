/// The traffic `qfp run` sends when started without a profile: two branch sites in sync with
/// the embedded default router's manual SAs, and two peers that kept SAs the router lost when
/// it reloaded, so they send ESP with SPIs it no longer knows. A newcomer's first
/// `show platform hardware qfp active statistics drop` shows `IpsecInput` climbing, and
/// `show platform hardware qfp active feature ipsec datapath drops` shows
/// `4 IN_US_V4_PKT_SA_NOT_FOUND_SPI`.
public enum DefaultProfile {
    public static let text = """
        # qfp's embedded traffic profile, against the embedded default router
        # (qfp run --show-default-config). Sizes are IP datagram lengths.
        seed: 2026
        peers:
          - name: site-b              # crypto map OUTSIDE 10, manual SA 4096: in sync
            address: 198.51.100.7
          - name: site-c              # crypto map OUTSIDE 20, manual SA 4097: in sync
            address: 198.51.100.9
          - name: hub-east            # crypto map OUTSIDE 30: the router lost the SA when it
            address: 203.0.113.5      # reloaded; the hub still sends on it
            router: 192.0.2.1
            sas: 0x5A3C11E7
          - name: vti-west            # Tunnel100's far end, also still on a pre-reload SA
            address: 203.0.113.77
            router: 192.0.2.1
            sas: 0x0BADF00D
        streams:
          - name: site-b-data
            peer: site-b
            size: imix
            rate: 2kpps
            faults: {replay: 0.05%}
          - name: site-c-voice
            peer: site-c
            size: 200
            rate: 500pps
          - name: hub-east-stale
            peer: hub-east
            size: 128
            rate: 20pps
          - name: vti-west-stale
            peer: vti-west
            size: 512
            rate: 5pps
        """

    /// The parsed default profile.
    public static var profile: TrafficProfile {
        // The text is part of the binary and covered by tests; it always parses.
        try! ProfileParser.parse(text, source: "default-profile")
    }
}
