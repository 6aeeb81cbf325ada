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
