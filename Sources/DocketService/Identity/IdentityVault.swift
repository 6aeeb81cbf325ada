import Crypto
import DocketCore
import Foundation

/// The symmetric key file of docket before 0018, read once by `docket db migrate` to re-seal what
/// it sealed to the office key (``Docket/upgradeSealing(keyFile:custodian:)``). It only opens: nothing
/// is sealed with it any more.
///
/// Two keys are derived from the secret with HKDF, one that encrypted and one that hashed; the
/// second becomes the database's matching key, so every stored match hash keeps matching.
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

  /// Opens an identity sealed in `items.reporter_sealed`, bound to the item's reference.
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

  /// Opens a whole email message, bound to the SHA-256 of its plain bytes.
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

  /// The matching key's bytes, for the database's `matching_key`.
  var matchingKeyBytes: [UInt8] { matchingKey.withUnsafeBytes { Array($0) } }
}
