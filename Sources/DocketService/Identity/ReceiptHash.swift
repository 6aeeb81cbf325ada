import Crypto
import DocketCore
import Foundation

/// PBKDF2 (RFC 8018, section 5.2) with HMAC-SHA256 (RFC 2104) as its pseudorandom function.
///
/// Written here over `SHA256` because the `Crypto` product has no PBKDF2 (it is in `_CryptoExtras`, an
/// underscored module this package does not otherwise need). The two keyed hash states of the HMAC
/// are computed once and copied for each round, so a round costs two SHA-256 compressions.
public enum PBKDF2 {
  /// The derived key of `length` bytes for `password` and `salt` after `iterations` rounds.
  public static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int = 32) -> [UInt8] {
    precondition(iterations > 0 && length > 0)
    // HMAC's key: hashed when longer than a block, then padded with zeros to a block.
    var key = password.count > 64 ? Array(SHA256.hash(data: password)) : password
    key += Array(repeating: 0, count: 64 - key.count)
    var inner = SHA256()
    inner.update(data: key.map { $0 ^ 0x36 })
    var outer = SHA256()
    outer.update(data: key.map { $0 ^ 0x5C })
    func mac(_ message: UnsafeRawBufferPointer) -> SHA256.Digest {
      var innerRound = inner
      innerRound.update(bufferPointer: message)
      var outerRound = outer
      innerRound.finalize().withUnsafeBytes { outerRound.update(bufferPointer: $0) }
      return outerRound.finalize()
    }

    var derived: [UInt8] = []
    derived.reserveCapacity(length)
    var block: UInt32 = 1
    while derived.count < length {
      // U1 = PRF(P, S || INT(i)); Uj = PRF(P, Uj-1); T = U1 ^ U2 ^ … ^ Uc.
      let first = salt + withUnsafeBytes(of: block.bigEndian) { Array($0) }
      var u = first.withUnsafeBytes { mac($0) }
      var t = Array(u)
      for _ in 1..<iterations {
        u = u.withUnsafeBytes { mac($0) }
        u.withUnsafeBytes { bytes in
          for index in 0..<32 { t[index] ^= bytes[index] }
        }
      }
      derived.append(contentsOf: t.prefix(length - derived.count))
      block += 1
    }
    return derived
  }
}

/// The slow salted hash of a receipt code's verifier, and its check.
enum ReceiptHash {
  /// Rounds for codes issued now. Each row keeps its own count, so this can be raised later without
  /// invalidating the codes already handed out. About a tenth of a second in a release build; an
  /// attacker with a copy of the database then needs months of a GPU's time for one code's 12 secret
  /// digits (10^12 guesses of 400,000 SHA-256 compressions each).
  static let iterations = 200_000
  static let saltBytes = 16

  /// A fresh random salt, from the system's cryptographically secure generator.
  static func salt() -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<saltBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
  }

  static func hash(verifier: String, salt: [UInt8], iterations: Int) -> [UInt8] {
    PBKDF2.sha256(password: Array(verifier.utf8), salt: salt, iterations: iterations)
  }

  /// Whether `verifier` hashes to `expected`, comparing every byte whatever the first difference,
  /// so that the time taken says nothing about how close a guess came.
  static func matches(verifier: String, salt: [UInt8], iterations: Int, expected: [UInt8]) -> Bool {
    let actual = hash(verifier: verifier, salt: salt, iterations: iterations)
    return constantTimeEqual(actual, expected)
  }

  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in 0..<a.count { difference |= a[index] ^ b[index] }
    return difference == 0
  }

  /// A salt for codes whose selector is unknown: the lookup still hashes once, against this, so that
  /// an unknown code takes as long as a wrong one. Fixed, so it costs no random bytes per lookup.
  static let dummySalt: [UInt8] = Array(repeating: 0x5A, count: saltBytes)
}
