import Crypto
import DocketCore
import Foundation

/// Seals reporters' identities with AES-GCM and computes the keyed hashes used to match them,
/// from one secret kept in a key file outside the database (mode 0600).
///
/// Two keys are derived from the secret with HKDF, one to encrypt and one to hash, so that the
/// matching hashes reveal nothing about the encryption key.
///
/// Unchecked Sendable because swift-crypto 3 does not mark `SymmetricKey` Sendable, though it is an
/// immutable value: its bytes are written once, when it is made, and only read after. A handover
/// batch seals identities on a second thread.
public struct IdentityVault: @unchecked Sendable {
  let sealingKey: SymmetricKey
  let matchingKey: SymmetricKey
  /// A short public fingerprint of the secret, stored in the database to catch a wrong key file.
  public let keyID: String

  static let format: UInt8 = 1

  public init(secret: SymmetricKey) {
    func derive(_ info: String) -> SymmetricKey {
      HKDF<SHA256>.deriveKey(
        inputKeyMaterial: secret, salt: Data("docket".utf8), info: Data(info.utf8), outputByteCount: 32)
    }
    sealingKey = derive("identity sealing v1")
    matchingKey = derive("identity matching v1")
    keyID = derive("key id v1").withUnsafeBytes { Array($0.prefix(8)) }.hex
  }

  /// The sealed form stored in `items.reporter_sealed`: a format byte, the nonce, ciphertext and tag.
  ///
  /// The item's reference number is authenticated with it, so a sealed identity moved to another
  /// item no longer opens.
  public func seal(_ identity: ReporterIdentity, ref: String) throws(DocketError) -> [UInt8] {
    do {
      let plain = try JSONEncoder().encode(identity)
      let box = try AES.GCM.seal(plain, using: sealingKey, authenticating: Self.context(ref))
      return [Self.format] + Array(box.combined!)
    } catch {
      throw .identityKey("A reporter's identity could not be encrypted: \(error).")
    }
  }

  public func open(_ sealed: [UInt8], ref: String) throws(DocketError) -> ReporterIdentity {
    guard sealed.first == Self.format else {
      throw .identityKey("A sealed identity has an unknown format; it was written by a newer docket.")
    }
    do {
      let box = try AES.GCM.SealedBox(combined: Data(sealed.dropFirst()))
      let plain = try AES.GCM.open(box, using: sealingKey, authenticating: Self.context(ref))
      return try JSONDecoder().decode(ReporterIdentity.self, from: plain)
    } catch {
      throw .identityKey(
        "The identity of \(ref) could not be decrypted: the key file is not the one it was sealed with, or the data was altered or moved from another item."
      )
    }
  }

  /// Seals a whole email message, whose headers name its sender; `digest` (the SHA-256 of the
  /// plain bytes) is authenticated with it, so sealed bytes cannot be swapped between messages.
  public func seal(message raw: [UInt8], digest: [UInt8]) throws(DocketError) -> [UInt8] {
    do {
      let box = try AES.GCM.seal(raw, using: sealingKey, authenticating: Self.messageContext(digest))
      return [Self.format] + Array(box.combined!)
    } catch {
      throw .identityKey("A message could not be encrypted: \(error).")
    }
  }

  public func open(message sealed: [UInt8], digest: [UInt8]) throws(DocketError) -> [UInt8] {
    guard sealed.first == Self.format else {
      throw .identityKey("A sealed message has an unknown format; it was written by a newer docket.")
    }
    do {
      let box = try AES.GCM.SealedBox(combined: Data(sealed.dropFirst()))
      return Array(try AES.GCM.open(box, using: sealingKey, authenticating: Self.messageContext(digest)))
    } catch {
      throw .identityKey(
        "A stored message could not be decrypted: the key file is not the one it was sealed with, or the data was altered."
      )
    }
  }

  static func messageContext(_ digest: [UInt8]) -> Data { Data("docket-mail-v1|\(digest.hex)".utf8) }

  static func context(_ ref: String) -> Data { Data("docket-identity-v1|\(ref)".utf8) }

  /// HMAC-SHA256 of each identifying value, for finding the same reporter without decrypting.
  public func matchHashes(_ identity: ReporterIdentity) -> [[UInt8]] {
    identity.matchKeys.map(matchHash)
  }

  /// The keyed hash of one of ``ReporterIdentity/matchKeys``.
  func matchHash(_ key: String) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: Data(key.utf8), using: matchingKey))
  }
}
