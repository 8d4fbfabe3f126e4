// swift-tools-version:6.0
import PackageDescription

// Hot loops (analysis, postings, scoring) run over class-owned buffers: dynamic exclusivity
// checks cost a fifth of indexing time there (measured with perf), so they are off in those modules.
let hot: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"])]

// Data flows one way: file → document → tokens → postings → segment → query → hits → snippets.
// C targets expose ICU/libxml2/zlib+zstd through ICU-free headers (see DEVELOPERS.md).
let package = Package(
    name: "vnsearch",
    products: [
        .executable(name: "vnsearch", targets: ["VNSearchCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "CVNICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icui18n")]
        ),
        .target(
            name: "CVNHTML",
            cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
            linkerSettings: [.linkedLibrary("xml2")]
        ),
        .target(
            name: "CVNCodec",
            linkerSettings: [.linkedLibrary("z"), .linkedLibrary("zstd")]
        ),
        .target(name: "CVNWorker"),
        .target(name: "CVNRank"),
        .target(name: "CVNPhrase", dependencies: ["CVNCodec"]),
        .target(name: "VNAnalysis", dependencies: ["CVNICU"], swiftSettings: hot),
        .target(name: "VNEncoding", dependencies: ["CVNICU"]),
        .target(name: "VNIngest", dependencies: ["CVNHTML", "VNEncoding"], swiftSettings: hot),
        .target(name: "VNIndex", dependencies: ["CVNCodec"], swiftSettings: hot),
        .target(name: "VNSearch", dependencies: ["VNAnalysis", "VNIngest", "VNIndex", "CVNWorker", "CVNRank", "CVNPhrase"], swiftSettings: hot),
        .executableTarget(
            name: "VNSearchCLI",
            dependencies: [
                "VNSearch", "VNIndex", "VNIngest", "VNAnalysis",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "VNAnalysisTests", dependencies: ["VNAnalysis"]),
        .testTarget(name: "VNEncodingTests", dependencies: ["VNEncoding"]),
        .testTarget(name: "VNIngestTests", dependencies: ["VNIngest"]),
        .testTarget(name: "VNIndexTests", dependencies: ["VNIndex"]),
        .testTarget(name: "VNSearchTests", dependencies: ["VNSearch", "VNIndex", "VNIngest", "VNAnalysis", "VNEncoding", "CVNRank"], exclude: ["Golden"]),
        .testTarget(name: "VNSearchCLITests", dependencies: ["VNSearch"]),
    ]
)
