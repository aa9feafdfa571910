// swift-tools-version: 6.2
// ordo-one/benchmark suite for qfp (kept apart from the main package, as swift-nio does, so the
// main build and `swift test` do not pay for the benchmark tooling). Run from this directory:
//   swift package benchmark                      (all benchmarks)
//   swift package benchmark --filter "SPILookup.*"  (a subset)
//   swift package benchmark thresholds check --filter "SPSC.*|SPILookup.*|InboundPipeline.*"
//       fails when a committed threshold (Thresholds/) is broken, e.g. a malloc in the hot path
//   swift package benchmark run --filter "InboundPipeline.*" --allocation-stacks
//       lists every allocation in the measured region (there are none)
import PackageDescription

let package = Package(
    name: "qfp-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "qfp", path: ".."),
        // MallocInterposer: malloc counts are real (build-notes P1, P4); no jemalloc needed.
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "DataplaneBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "QFPDataplane", package: "qfp"),
                .product(name: "QFPGenerator", package: "qfp"),
                .product(name: "QFPControl", package: "qfp"),
                .product(name: "QFPCrypto", package: "qfp"),
            ],
            path: "Benchmarks/DataplaneBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
