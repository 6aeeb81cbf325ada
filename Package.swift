// swift-tools-version: 6.0
import PackageDescription

// Two dependencies only: argument parsing for the CLI and swift-crypto for AES-GCM, HMAC and
// SHA-256 (Foundation on Linux has none of them). PostgreSQL is reached through the system libpq.
let package = Package(
  name: "docket",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "docket", targets: ["docket"]),
    .library(name: "DocketService", targets: ["DocketService"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibPQ",
      pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"])]
    ),
    .target(name: "DocketCore"),
    // Email parsing has no database dependency: `intake email --dry-run` runs without one.
    .target(name: "DocketMail", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
    .target(
      name: "DocketStore",
      dependencies: [
        "CLibPQ", "DocketCore",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .target(
      name: "DocketService",
      dependencies: [
        "DocketCore", "DocketMail", "DocketStore",
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "docket",
      dependencies: [
        "DocketCore", "DocketMail", "DocketService", "DocketStore",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(
      name: "DocketTestSupport",
      dependencies: ["DocketStore", "DocketService"],
      path: "Tests/DocketTestSupport"
    ),
    .testTarget(name: "DocketCoreTests", dependencies: ["DocketCore"]),
    .testTarget(
      name: "DocketMailTests", dependencies: ["DocketMail"], exclude: ["Corpus/make_corpus.py", "Corpus/README.md"],
      resources: [.copy("Corpus")]),
    .testTarget(name: "DocketStoreTests", dependencies: ["DocketStore", "DocketTestSupport"]),
    .testTarget(
      name: "DocketServiceTests", dependencies: ["DocketMail", "DocketService", "DocketTestSupport"]),
    .testTarget(name: "DocketCLITests", dependencies: ["DocketTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
