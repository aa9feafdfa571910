// swift-tools-version: 6.2
import PackageDescription
import class Foundation.ProcessInfo

// `NUMA_STATIC=1 swift build ...` links /usr/lib/x86_64-linux-gnu/libnuma.a instead of libnuma.so.
// CNuma is a headers-only module map so that this switch works (see ../shared/build-notes.md, P12).
let numaLibrary = ProcessInfo.processInfo.environment["NUMA_STATIC"] != nil ? ":libnuma.a" : "numa"

let package = Package(
    name: "qfp",
    products: [
        .executable(name: "qfp", targets: ["qfp"]),
        .library(name: "QFPDataplane", targets: ["QFPDataplane"]),
        .library(name: "QFPControl", targets: ["QFPControl"]),
        .library(name: "QFPGenerator", targets: ["QFPGenerator"]),
        .library(name: "QFPCLI", targets: ["QFPCLI"]),
        .library(name: "QFPCapture", targets: ["QFPCapture"]),
        .library(name: "QFPPort", targets: ["QFPPort"]),
        .library(name: "QFPCrypto", targets: ["QFPCrypto"]),
        .library(name: "QFPSSH", targets: ["QFPSSH"]),
        .library(name: "QFPPlot", targets: ["QFPPlot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssh.git", from: "0.15.1"),
    ],
    targets: [
        // libnuma headers (Debian libnuma-dev) plus a few static-inline helpers; linked by QFPDataplane.
        .systemLibrary(name: "CNuma"),
        // Packets, rings, SPI tables, replay windows, drop counters, pipeline stages and workers.
        // No Foundation here.
        .target(
            name: "QFPDataplane",
            dependencies: ["CNuma", .product(name: "Logging", package: "swift-log")],
            linkerSettings: [.linkedLibrary(numaLibrary, .when(platforms: [.linux]))]
        ),
        // ESP transforms (AES-GCM over BoringSSL's EVP_AEAD or intel-ipsec-mb, AES-CBC + HMAC over
        // BoringSSL's AES and SHA functions), behind the data plane's per-SA crypto contexts (function tables of
        // `@convention(c)` pointers), so that swift-crypto (and the Foundation it brings) stays
        // out of QFPDataplane.
        // The BoringSSL entry points (linked by swift-crypto, under their `CCryptoBoringSSL_`
        // names) that QFPCrypto calls directly for allocation-free ESP crypto.
        .target(name: "CBoringAEAD"),
        // AES-GCM on intel-ipsec-mb (DPDK's aesni_gcm / aesni_mb library), dlopen()ed at run
        // time: builds without the library (and without its header: then it is "unavailable").
        .target(name: "CIPSecMB", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(
            name: "QFPCrypto",
            dependencies: [
                "QFPDataplane", "CBoringAEAD", "CIPSecMB",
                // Not imported: it links BoringSSL (CCryptoBoringSSL), whose symbols CBoringAEAD declares.
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The IOS command-language engine: syntax tables, unique-prefix matching, `?` help,
        // completion, IOS error reporting, output pipes and IOS regular expressions. Shared by
        // the configuration parser (QFPControl) and the exec commands (QFPCLI).
        .target(name: "QFPCommandLanguage"),
        // Clocks, IOS configuration, the router that programs the data plane, and (later) IKE,
        // syslog, recovery.
        .target(
            name: "QFPControl",
            dependencies: [
                "QFPDataplane", "QFPCommandLanguage", "QFPCapture", "QFPCrypto", .product(name: "Logging", package: "swift-log"),
                // IKE key derivation (HMAC-SHA256 prf), cold path.
                .product(name: "Crypto", package: "swift-crypto"),
                // `username … secret 9` and `enable secret 9`: scrypt (IOS type 9).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                // Syslog to `logging host` (UDP datagrams).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Traffic: packet templates, emulated senders, load and throughput runs.
        // Traffic profiles (YAML), emulated peers, the rate-paced generator and its latency
        // histograms.
        .target(
            name: "QFPGenerator",
            dependencies: [
                "QFPDataplane", "QFPControl", "QFPCapture", "QFPCrypto",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The IOS command language (command table, abbreviations, `?`, pipes), renderers of the
        // show commands and their JSON twins, the control-socket server and client, the shell.
        .target(
            name: "QFPCLI",
            dependencies: [
                "QFPDataplane", "QFPControl", "QFPCommandLanguage", "QFPGenerator", "QFPCapture", "QFPPlot",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // The Prometheus endpoint (`qfp run --metrics`).
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The CLI over SSH (swift-nio-ssh): password and public-key logins checked against the
        // configuration's `username` lines, a PTY shell that runs `CLISession` as `qfp cli` does.
        .target(
            name: "QFPSSH",
            dependencies: [
                "QFPCLI", "QFPControl", "QFPDataplane",
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // SVG charts (lines, grouped bars, log and percentile axes, stacked panels) for
        // `qfp bench --plot` and `qfp gen status --plot`. No dependencies, no Foundation.
        .target(name: "QFPPlot"),
        // pcap and pcapng readers and writers, link-layer decapsulation. No dependencies, no Foundation.
        .target(name: "QFPCapture"),
        // <linux/if_packet.h> (TPACKET_V3 ring structures) plus static-inline set-up and field
        // readers; headers only, nothing to link.
        .systemLibrary(name: "CPacket"),
        // Live ports: a Linux interface through AF_PACKET (TPACKET_V3 receive ring, send(2) on
        // transmit) as a pipeline source and sink. No Foundation.
        .target(name: "QFPPort", dependencies: ["QFPDataplane", "QFPCapture", "CPacket"]),
        .executableTarget(
            name: "qfp",
            dependencies: [
                "QFPDataplane", "QFPControl", "QFPGenerator", "QFPCLI", "QFPCapture", "QFPPort", "QFPSSH", "QFPPlot", "QFPCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "QFPDataplaneTests", dependencies: ["QFPDataplane", "QFPGenerator"]),
        .testTarget(name: "QFPCryptoTests", dependencies: ["QFPCrypto", "QFPDataplane", "QFPGenerator"]),
        .testTarget(name: "QFPCommandLanguageTests", dependencies: ["QFPCommandLanguage"]),
        .testTarget(name: "QFPControlTests", dependencies: ["QFPControl", "QFPGenerator", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "QFPGeneratorTests", dependencies: ["QFPGenerator"]),
        // Fixtures are device captures read through #filePath, not bundled resources.
        .testTarget(name: "QFPCLITests", dependencies: ["QFPCLI", "QFPControl", "QFPGenerator", "QFPCapture", "QFPCrypto"], exclude: ["Fixtures", "Transcripts", "Captures"]),
        .testTarget(name: "qfpTests", dependencies: ["qfp"]),
        .testTarget(name: "QFPSSHTests", dependencies: ["QFPSSH", "QFPCLI", "QFPControl"]),
        // Captures are written by Tools/make-test-captures.py and read through #filePath.
        .testTarget(name: "QFPCaptureTests", dependencies: ["QFPCapture"], exclude: ["Captures"]),
        .testTarget(name: "QFPPlotTests", dependencies: ["QFPPlot", "QFPCLI", "QFPGenerator"]),
        .testTarget(name: "QFPPortTests", dependencies: ["QFPPort", "QFPDataplane", "CPacket"]),
    ]
)
