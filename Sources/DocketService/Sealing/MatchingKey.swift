import Crypto
import DocketCore
import Foundation

/// The keyed hash that finds the same reporter without opening anything: a later item's, or the
/// sender of a reply. Its key is apart from every sealing key and lives in the database
/// (`matching_key`), readable by intake's roles only: intake must hash, and holds no secret of its
/// own. Whoever holds the key (a dump) can test a value they already know; nobody can invert it.
///
/// Unchecked Sendable because swift-crypto 3 does not mark `SymmetricKey` Sendable, though it is an
/// immutable value.
public struct MatchingKey: @unchecked Sendable {
  let key: SymmetricKey

  public init(bytes: [UInt8]) { key = SymmetricKey(data: bytes) }

  /// A new random key, for a new database.
  static func generate() -> [UInt8] { SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) } }

  /// HMAC-SHA256 of each identifying value.
  public func matchHashes(_ identity: ReporterIdentity) -> [[UInt8]] {
    identity.matchKeys.map(matchHash)
  }

  /// The keyed hash of one of ``ReporterIdentity/matchKeys``.
  func matchHash(_ value: String) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key))
  }
}

/// What is sealed, and for what: the context every sealed value is bound to, so that one copied to
/// another item or field does not open.
enum SealedContext {
  static func identity(_ ref: String) -> String { "docket-identity-v1|\(ref)" }
  static func message(_ digest: [UInt8]) -> String { "docket-mail-v1|\(digest.hex)" }
  static func attachment(_ sha256: [UInt8]) -> String { "docket-attachment-v1|\(sha256.hex)" }
}
