// swift-tools-version: 6.2
// libFuzzer targets for qfp's parsers and data-plane stages. Build and run with Fuzz/run.sh
// (it passes -sanitize=fuzzer,address and links with lld, which the fuzzer runtime needs here);
// not part of the main build.
import PackageDescription

let package = Package(
    name: "qfp-fuzz",
    dependencies: [.package(name: "qfp", path: "..")],
    targets: [
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "PacketFuzzer",
            dependencies: ["CFuzzerDriver", .product(name: "QFPDataplane", package: "qfp")]
        ),
        .executableTarget(
            name: "CommandFuzzer",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "QFPCLI", package: "qfp"),
                .product(name: "QFPControl", package: "qfp"),
                .product(name: "QFPDataplane", package: "qfp"),
            ]
        ),
        .executableTarget(
            name: "CaptureFuzzer",
            dependencies: ["CFuzzerDriver", .product(name: "QFPCapture", package: "qfp")]
        ),
        .executableTarget(
            name: "ProfileFuzzer",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "QFPGenerator", package: "qfp"),
                .product(name: "QFPDataplane", package: "qfp"),
            ]
        ),
        .executableTarget(
            name: "MakeCorpus",
            dependencies: [
                .product(name: "QFPControl", package: "qfp"),
                .product(name: "QFPDataplane", package: "qfp"),
                .product(name: "QFPGenerator", package: "qfp"),
            ]
        ),
    ]
)
