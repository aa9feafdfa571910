// swift-tools-version: 6.2
// libFuzzer targets for qfp's parsers and data-plane stages. Build and run with Fuzz/run.sh
// (it passes -sanitize=fuzzer,address); not part of the main build.
import PackageDescription

let package = Package(
    name: "qfp-fuzz",
    dependencies: [.package(name: "qfp", path: "..")],
    targets: [
        .executableTarget(
            name: "PacketFuzzer",
            dependencies: [.product(name: "QFPDataplane", package: "qfp")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "MakeCorpus",
            dependencies: [
                .product(name: "QFPDataplane", package: "qfp"),
                .product(name: "QFPGenerator", package: "qfp"),
            ]
        ),
    ]
)
