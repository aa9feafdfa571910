import QFPDataplane
@testable import QFPPort
import Testing

@Suite("Live ports: configuration and errors (no interface needed)")
struct PortConfigurationTests {
    @Test("MAC addresses: colons, dashes, Cisco dots, bare hex; anything else refused")
    func macAddresses() {
        #expect(MACAddress("02:00:5e:10:00:01")?.octets == [2, 0, 0x5E, 0x10, 0, 1])
        #expect(MACAddress("02-00-5E-10-00-01") == MACAddress("02:00:5e:10:00:01"))
        #expect(MACAddress("0200.5e10.0001") == MACAddress("02:00:5e:10:00:01"))
        #expect(MACAddress("02005e100001") == MACAddress("02:00:5e:10:00:01"))
        #expect(MACAddress("02:00:5e:10:00:01")?.description == "02:00:5e:10:00:01")
        for bad in ["", "02:00:5e:10:00", "02:00:5e:10:00:0g", "+2:00:5e:10:00:01", "2:00:5e:10:00:01:", "0200.5e10.000"] {
            #expect(MACAddress(bad) == nil, "\(bad)")
        }
        #expect(MACAddress.broadcast.description == "ff:ff:ff:ff:ff:ff")
    }

    @Test("A device that does not exist: the error names it and says so")
    func missingDevice() {
        #expect(throws: PortError.self) { try LivePort(PortConfiguration(device: "qfpnosuch0")) }
        do {
            _ = try LivePort(PortConfiguration(device: "qfpnosuch0"))
        } catch {
            #expect(error.description.hasPrefix("port qfpnosuch0: no such network device (if_nametoindex: No such device"), "\(error)")
        }
    }

    @Test("Ring sizes the kernel would refuse are refused first, naming the device and the size")
    func badSizes() {
        var c = PortConfiguration(device: "lo")
        c.blockSize = 3000
        do {
            _ = try LivePort(c)
            Issue.record("a block of 3000 bytes was accepted")
        } catch {
            #expect(error.description.hasPrefix("port lo: ring block size 3000 is not a power of two"), "\(error)")
        }
    }

    @Test("Errors name the call and the errno text")
    func errorText() {
        let e = PortError(device: "eth9", step: "socket(AF_PACKET, SOCK_RAW)", errno: 1)
        #expect(e.description == "port eth9: AF_PACKET not permitted (socket(AF_PACKET, SOCK_RAW): Operation not permitted, errno 1); run as root or with CAP_NET_RAW")
        let b = PortError(device: "eth9", step: "bind", errno: 100)
        #expect(b.description == "port eth9: bind failed: Network is down (errno 100)")
    }

    @Test("Counters: conservation and the log line")
    func counters() {
        var c = PortCounters()
        c.framesReceived = 116; c.injected = 115; c.notIP = 1; c.transmitted = 104
        #expect(c.isConserved)
        #expect(c.summary == "rx 116 frames (115 IP, 1 not IP), tx 104")
        c.noBuffer = 1
        #expect(!c.isConserved)
    }
}
