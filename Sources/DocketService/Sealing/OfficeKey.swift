import Crypto
import DocketCore
import Foundation

/// What can go wrong sealing to the office's key or opening what was sealed; each case says which.
public enum SealingError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Bytes that should be a key are not one (wrong length, not a curve point).
  case malformedKey(String)
  /// A sealed value or an envelope header is cut short or has a format this docket does not know.
  case malformed(String)
  /// The value does not open: another office key, another context, or changed bytes.
  case doesNotOpen(String)
  /// A custodian's passphrase (or, for a pair, one of the two) is not the one the key was wrapped under.
  case wrongPassphrase
  /// The cryptographic library refused (a failure of the system, not of the input).
  case failed(String)

  public var description: String {
    switch self {
    case .malformedKey(let what): "\(what) is not a valid key"
    case .malformed(let what): "\(what) is malformed or was written by a newer docket"
    case .doesNotOpen(let what):
      "\(what) does not open with this key: it was sealed to another office key, for another item, or altered"
    case .wrongPassphrase: "the passphrase is not the one this key was wrapped under"
    case .failed(let why): "sealing failed: \(why)"
    }
  }
}

/// The office's public key, which every process that registers anything holds, and which is all
/// that sealing needs: intake holds no secret.
public struct OfficePublicKey: Sendable, Equatable {
  /// The X25519 public key's 32 bytes, as stored in the database.
  public let rawRepresentation: [UInt8]

  public init(rawRepresentation: [UInt8]) throws(SealingError) {
    do {
      _ = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: rawRepresentation)
    } catch {
      throw .malformedKey("the office's public key")
    }
    self.rawRepresentation = rawRepresentation
  }

  /// Made from the bytes each time (swift-crypto 3's keys are not Sendable); they were checked above.
  var key: Curve25519.KeyAgreement.PublicKey {
    try! Curve25519.KeyAgreement.PublicKey(rawRepresentation: rawRepresentation)
  }

  /// A short name for the key, to show and to catch sealing to the wrong one: the first 8 bytes of
  /// SHA-256 over a label and the key, as hex. Worked out from the key itself, it catches a mistake,
  /// not a substitution: whoever can change the stored public key receives what is sealed after, so
  /// intake must check it against a fingerprint kept where a database login cannot write.
  public var fingerprint: String {
    var hasher = SHA256()
    hasher.update(data: Array("docket office key v1\n".utf8))
    hasher.update(data: rawRepresentation)
    return Array(hasher.finalize()).prefix(8).hex
  }

  public static func == (a: Self, b: Self) -> Bool { a.rawRepresentation == b.rawRepresentation }
}

/// The office's private key. It exists in memory only during a custodian's act (a reveal, a release,
/// a rotation), unwrapped from a ``CustodianWrap`` with that custodian's passphrase; it is never
/// written anywhere in plain.
///
/// Unchecked Sendable because swift-crypto 3 does not mark its keys Sendable, though they are
/// immutable values.
public struct OfficePrivateKey: @unchecked Sendable {
  let key: Curve25519.KeyAgreement.PrivateKey

  /// A new key pair, from the system's secure random generator.
  public static func generate() -> OfficePrivateKey { OfficePrivateKey(key: .init()) }

  init(key: Curve25519.KeyAgreement.PrivateKey) { self.key = key }

  init(rawRepresentation: [UInt8]) throws(SealingError) {
    do {
      key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation)
    } catch {
      throw .malformedKey("the unwrapped office key")
    }
  }

  /// The 32 secret bytes, for wrapping under a custodian's passphrase only.
  var rawRepresentation: [UInt8] { Array(key.rawRepresentation) }

  public var publicKey: OfficePublicKey {
    // A curve point from swift-crypto's own key is always valid.
    try! OfficePublicKey(rawRepresentation: Array(key.publicKey.rawRepresentation))
  }
}
