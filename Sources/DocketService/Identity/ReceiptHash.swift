import Crypto
import DocketCore
import Foundation
import _CryptoExtras

/// PBKDF2 (RFC 8018, section 5.2) with HMAC-SHA256 (RFC 2104) as its pseudorandom function.
///
/// BoringSSL's, through swift-crypto's `_CryptoExtras` (the same package as `Crypto`): measured on
/// the 2-core machine docket is built on, 200,000 rounds take 33 ms where a loop over `SHA256` in
/// Swift took 112 ms, and a public intake waits for one.
public enum PBKDF2 {
  /// The derived key of `length` bytes for `password` and `salt` after `iterations` rounds.
  public static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, length: Int = 32) -> [UInt8] {
    precondition(iterations > 0 && length > 0)
    do {
      // `unsafeUncheckedRounds`: the count is this module's (ReceiptHash.iterations), or a stored
      // row's, and the published test vectors use fewer rounds than the checked entry point allows.
      let key = try KDF.Insecure.PBKDF2.deriveKey(
        from: password, salt: salt, using: .sha256, outputByteCount: length, unsafeUncheckedRounds: iterations
      )
      return key.withUnsafeBytes { Array($0) }
    } catch {
      // BoringSSL refuses only arguments the precondition above already excludes.
      preconditionFailure("PBKDF2 failed: \(error)")
    }
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
