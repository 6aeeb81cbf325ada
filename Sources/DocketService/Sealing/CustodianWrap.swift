import Crypto
import Foundation
import _CryptoExtras

/// The cost of turning a custodian's passphrase into a key: scrypt (RFC 7914), memory-hard, so that
/// a stolen wrap is as slow to guess at on a GPU as on the office's machine. Stored with each
/// custodian, so that it can be raised for new passphrases without locking anyone out.
public struct PassphraseCost: Sendable, Equatable, Codable {
  /// N, a power of two: memory and time grow with it (128 × N × r bytes).
  public var rounds: Int
  /// r.
  public var blockSize: Int
  /// p.
  public var parallelism: Int

  /// For passphrases set now: 2^17 × 8 × 128 bytes = 128 MiB per guess, and about a second on the
  /// 2-core build machine (a debug build's test), paid once per reveal or release.
  public static let current = PassphraseCost(rounds: 1 << 17, blockSize: 8, parallelism: 1)

  public init(rounds: Int, blockSize: Int, parallelism: Int) {
    self.rounds = rounds
    self.blockSize = blockSize
    self.parallelism = parallelism
  }

  /// Whether these are costs docket would ever set: read from the database, a changed row must not
  /// make a reveal allocate without bound (or derive a key too cheaply).
  var isSane: Bool {
    rounds.nonzeroBitCount == 1 && (1 << 10...1 << 20).contains(rounds) && (1...32).contains(blockSize)
      && (1...4).contains(parallelism)
  }
}

/// A custodian's passphrase turned into a key-encryption key, with the salt and cost stored on that
/// custodian's record. Held in memory for one act only.
///
/// Unchecked Sendable because swift-crypto 3 does not mark `SymmetricKey` Sendable, though it is an
/// immutable value.
public struct PassphraseKey: @unchecked Sendable {
  public let login: String
  let key: SymmetricKey

  /// Derives the key: slow on purpose (``PassphraseCost``). The passphrase comes from a terminal
  /// without echo, a file descriptor or a 0600 file, never from argv or the environment. It is taken
  /// in Unicode's composed form (NFC), so that a Chinese passphrase typed through another input
  /// method or terminal, which may send the same text decomposed, still opens.
  public init(login: String, passphrase: String, salt: [UInt8], cost: PassphraseCost) throws(SealingError) {
    let composed = Array(passphrase.precomposedStringWithCanonicalMapping.utf8)
    guard !composed.isEmpty else { throw .wrongPassphrase }
    guard cost.isSane else { throw .malformed("a custodian's passphrase cost") }
    do {
      key = try KDF.Scrypt.deriveKey(
        from: composed, salt: salt, outputByteCount: 32, rounds: cost.rounds, blockSize: cost.blockSize,
        parallelism: cost.parallelism, maxMemory: nil)
    } catch {
      throw .failed("scrypt refused its parameters: \(error)")
    }
    self.login = login
  }

  /// A fresh salt for a custodian's record.
  public static func salt() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
  }
}

/// The office's private key wrapped for one custodian, or for a pair of custodians who must be present
/// together (a reveal quorum of 2). The private key exists only in such wraps: one per custodian
/// while the quorum is 1, one per pair of custodians while it is 2 — never both, or one custodian
/// alone could open a single wrap. Raising the quorum therefore goes with a new office key, since a
/// single wrap copied before could still open the old one.
///
/// Each wrap's key-encryption key is HKDF over its custodians' passphrase keys, in login order,
/// with a label saying which kind of wrap it is: neither custodian's passphrase alone opens a pair's
/// wrap, no secret is split by hand, and a single wrap's key is never a pair's input as it is.
public struct CustodianWrap: Sendable, Equatable {
  /// The custodians whose passphrases open this wrap, in login order: one, or two for a pair.
  public let custodians: [String]
  /// The fingerprint of the office key inside.
  public let fingerprint: String
  /// AES-256-GCM over the private key's 32 bytes (format, nonce, ciphertext, tag).
  public let wrapped: [UInt8]

  static let format: UInt8 = 1

  public init(custodians: [String], fingerprint: String, wrapped: [UInt8]) {
    self.custodians = custodians
    self.fingerprint = fingerprint
    self.wrapped = wrapped
  }

  /// Wraps `office` for the custodians whose keys these are: one, or two different ones.
  public static func wrap(_ office: OfficePrivateKey, for keys: [PassphraseKey]) throws(SealingError)
    -> CustodianWrap
  {
    let (custodians, kek) = try keyEncryptionKey(keys)
    let fingerprint = office.publicKey.fingerprint
    do {
      let box = try AES.GCM.seal(
        office.rawRepresentation, using: kek, authenticating: context(custodians, fingerprint))
      return CustodianWrap(
        custodians: custodians, fingerprint: fingerprint, wrapped: [format] + Array(box.combined!))
    } catch {
      throw .failed("the office key could not be wrapped: \(error)")
    }
  }

  /// The office's private key, with the keys of this wrap's custodians (in any order).
  public func unwrap(with keys: [PassphraseKey]) throws(SealingError) -> OfficePrivateKey {
    let (custodians, kek) = try Self.keyEncryptionKey(keys)
    guard custodians == self.custodians else { throw .wrongPassphrase }
    guard wrapped.count > 1, wrapped[0] == Self.format else { throw .malformed("a custodian's wrap") }
    let raw: [UInt8]
    do {
      let box = try AES.GCM.SealedBox(combined: wrapped[1...])
      raw = Array(try AES.GCM.open(box, using: kek, authenticating: Self.context(custodians, fingerprint)))
    } catch {
      throw .wrongPassphrase
    }
    let office = try OfficePrivateKey(rawRepresentation: raw)
    guard office.publicKey.fingerprint == fingerprint else { throw .doesNotOpen("a custodian's wrap") }
    return office
  }

  private static func keyEncryptionKey(_ keys: [PassphraseKey]) throws(SealingError) -> (
    [String], SymmetricKey
  ) {
    let sorted = keys.sorted { $0.login < $1.login }
    let label: String
    switch sorted.count {
    case 1: label = "docket custodian single v1"
    case 2 where sorted[0].login != sorted[1].login: label = "docket custodian pair v1"
    default:
      throw .failed("a wrap is for one custodian or for two different ones, not \(keys.map(\.login))")
    }
    var material = [UInt8]()
    for key in sorted { key.key.withUnsafeBytes { material += $0 } }
    let logins = sorted.map(\.login)
    let kek = HKDF<SHA256>.deriveKey(
      inputKeyMaterial: SymmetricKey(data: material), salt: Array(label.utf8), info: lengthPrefixed(logins),
      outputByteCount: 32)
    return (logins, kek)
  }

  /// What a wrap authenticates: its kind (by the count of custodians), the key inside, and whose
  /// it is, each length-prefixed so that no two lists of logins read the same.
  private static func context(_ custodians: [String], _ fingerprint: String) -> [UInt8] {
    Array("docket custodian wrap v1".utf8) + lengthPrefixed([fingerprint] + custodians)
  }

  private static func lengthPrefixed(_ fields: [String]) -> [UInt8] {
    var out = [UInt8(fields.count)]
    for field in fields {
      let bytes = Array(field.utf8)
      out += [UInt8(bytes.count >> 8 & 0xFF), UInt8(bytes.count & 0xFF)] + bytes
    }
    return out
  }
}
