/// The router `qfp run` starts when no configuration is given: an ASR 1000 at a hub with
/// three peers. Two crypto map entries are keyed by hand (SAs exist at once, without IKE),
/// one waits for IKE, and a static VTI protects a routed prefix — enough for every show
/// command to have something to say.
public enum DefaultConfiguration {
    public static let text = """
        hostname qfp-asr1k
        !
        crypto ipsec transform-set TS-NULL esp-null
         mode tunnel
        crypto ipsec transform-set TS-NULL-TRANSPORT esp-null
         mode transport
        crypto ipsec transform-set TS-AES256 esp-aes 256 esp-sha256-hmac
         mode tunnel
        !
        crypto ipsec profile VTI-PROFILE
         set transform-set TS-AES256
        !
        crypto map OUTSIDE 10 ipsec-manual
         set peer 198.51.100.7
         set session-key inbound esp 4096 cipher 00
         set session-key outbound esp 8192 cipher 00
         set transform-set TS-NULL
         match address SITE-B
        crypto map OUTSIDE 20 ipsec-manual
         set peer 198.51.100.9
         set session-key inbound esp 4097 cipher 00
         set session-key outbound esp 8193 cipher 00
         set transform-set TS-NULL
         match address SITE-C
        crypto map OUTSIDE 30 ipsec-isakmp
         set peer 203.0.113.5
         set transform-set TS-AES256
         match address 110
        !
        interface GigabitEthernet1
         description outside
         ip address 192.0.2.1 255.255.255.0
         crypto map OUTSIDE
        !
        interface GigabitEthernet2
         description inside
         ip address 10.1.0.1 255.255.0.0
        !
        interface Tunnel100
         ip address 172.31.0.1 255.255.255.252
         tunnel source GigabitEthernet1
         tunnel mode ipsec ipv4
         tunnel destination 203.0.113.77
         tunnel protection ipsec profile VTI-PROFILE
        !
        ip route 10.77.0.0 255.255.0.0 Tunnel100
        !
        ip access-list extended SITE-B
         10 permit ip 10.1.0.0 0.0.255.255 10.2.0.0 0.0.255.255
        ip access-list extended SITE-C
         10 permit ip 10.1.0.0 0.0.255.255 10.3.0.0 0.0.255.255
        !
        access-list 110 permit ip 10.1.0.0 0.0.255.255 10.4.0.0 0.0.255.255
        end
        """
}
