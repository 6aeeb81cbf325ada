// swift-tools-version: 6.0
import PackageDescription

// Three dependencies only: argument parsing for the CLI, swift-crypto for AES-GCM, HMAC, SHA-256 and
// PBKDF2 (Foundation on Linux has none of them), and ZIPFoundation to open XLSX files (zip archives) with a
// maintained reader. PostgreSQL is reached through the system libpq; charsets through glibc's iconv.
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
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibPQ",
      pkgConfig: "libpq",
      providers: [.apt(["libpq-dev"])]
    ),
    .target(name: "DocketCore"),
    // iconv-backed charset decoding, for email and for handover lists saved by Excel.
    .target(name: "DocketCharsets"),
    // Email parsing has no database dependency: `intake email --dry-run` runs without one.
    .target(
      name: "DocketMail",
      dependencies: ["DocketCharsets", "DocketCore", .product(name: "Crypto", package: "swift-crypto")]),
    // Handover lists: CSV and XLSX read into rows of cells; no database.
    .target(
      name: "DocketSheets",
      dependencies: [
        "DocketCharsets", "DocketCore", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ]),
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
        "DocketCore", "DocketMail", "DocketSheets", "DocketStore",
        .product(name: "Crypto", package: "swift-crypto"),
        // BoringSSL's PBKDF2 for receipt codes (Identity/ReceiptHash.swift), from the same package.
        .product(name: "_CryptoExtras", package: "swift-crypto"),
      ]
    ),
    .executableTarget(
      name: "docket",
      // The service only (it re-exports DocketCore, its vocabulary): the executable parses arguments
      // and formats output, and reaches the database, mail and sheets through the use cases.
      dependencies: [
        "DocketService",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .target(
      name: "DocketTestSupport",
      dependencies: ["DocketStore", "DocketService"],
      path: "Tests/DocketTestSupport"
    ),
    .testTarget(name: "DocketCoreTests", dependencies: ["DocketCore"]),
    .testTarget(name: "DocketSheetsTests", dependencies: ["DocketSheets"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "DocketMailTests", dependencies: ["DocketMail"],
      exclude: ["Corpus/make_corpus.py", "Corpus/README.md"],
      resources: [.copy("Corpus")]),
    .testTarget(name: "DocketStoreTests", dependencies: ["DocketStore", "DocketTestSupport"]),
    .testTarget(
      name: "DocketServiceTests",
      dependencies: ["DocketMail", "DocketService", "DocketSheets", "DocketTestSupport"]),
    // On the executable, so that `swift test` builds the binary the tests run, never a stale one.
    .testTarget(name: "DocketCLITests", dependencies: ["docket", "DocketTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)

// Fuzz targets for fuzz/run.sh (libFuzzer), declared only when DOCKET_FUZZ=1 is set, so that
// `swift build` and `swift test` never see them. fuzz/run.sh sets it and builds into .build-fuzz.
if Context.environment["DOCKET_FUZZ"] == "1" {
  package.targets += [
    .executableTarget(name: "MailFuzz", dependencies: ["DocketMail"], path: "fuzz/MailFuzz"),
    .executableTarget(name: "CSVFuzz", dependencies: ["DocketSheets"], path: "fuzz/CSVFuzz"),
    .executableTarget(name: "XLSXFuzz", dependencies: ["DocketSheets"], path: "fuzz/XLSXFuzz"),
  ]
}
