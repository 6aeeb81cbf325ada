import Crypto
import Foundation

/// A custodian's own X25519 key pair. The public half is stored in the database, where whoever
/// holds the office's private key may wrap it to the custodian (``OfficeWrap``); the private half
/// exists only sealed under the custodian's passphrase (``PassphraseKey``), so a passphrase change
/// touches this record alone, and a new office key (a rotation) is wrapped for every custodian
/// without any of them typing anything.
public struct CustodianKey: Sendable, Equatable {
  public let login: String
  /// The X25519 public key's 32 bytes.
  public let publicKey: [UInt8]
  public let salt: [UInt8]
  public let cost: PassphraseCost
  /// AES-256-GCM over the private key's 32 bytes under the passphrase key: format, nonce,
  /// ciphertext, tag.
  public let wrappedPrivateKey: [UInt8]

  static let format: UInt8 = 1

  public init(
    login: String, publicKey: [UInt8], salt: [UInt8], cost: PassphraseCost, wrappedPrivateKey: [UInt8]
  ) {
    self.login = login
    self.publicKey = publicKey
    self.salt = salt
    self.cost = cost
    self.wrappedPrivateKey = wrappedPrivateKey
  }

  /// A new key pair for `login`, its private half sealed under `passphrase` (slow: ``PassphraseCost``).
  public static func create(login: String, passphrase: String, cost: PassphraseCost) throws(SealingError)
    -> (CustodianKey, UnlockedCustodian)
  {
    let unlocked = UnlockedCustodian(login: login, key: .init())
    return (try unlocked.sealed(under: passphrase, cost: cost), unlocked)
  }

  /// The private key, with the custodian's passphrase (slow: ``PassphraseCost``).
  public func unlock(passphrase: String) throws(SealingError) -> UnlockedCustodian {
    let kek = try PassphraseKey(login: login, passphrase: passphrase, salt: salt, cost: cost)
    guard wrappedPrivateKey.count > 1, wrappedPrivateKey[0] == Self.format else {
      throw .malformed("\(login)'s custodian key")
    }
    let raw: Data
    do {
      let box = try AES.GCM.SealedBox(combined: wrappedPrivateKey[1...])
      raw = try AES.GCM.open(box, using: kek.key, authenticating: Self.context(login, publicKey))
    } catch {
      throw .wrongPassphrase
    }
    let key: Curve25519.KeyAgreement.PrivateKey
    do { key = try .init(rawRepresentation: raw) } catch { throw .malformedKey("\(login)'s custodian key") }
    guard Array(key.publicKey.rawRepresentation) == publicKey else {
      throw .doesNotOpen("\(login)'s custodian key")
    }
    return UnlockedCustodian(login: login, key: key)
  }

  static func context(_ login: String, _ publicKey: [UInt8]) -> [UInt8] {
    Array("docket custodian key v1".utf8) + lengthPrefixed([Array(login.utf8), publicKey])
  }
}

/// A custodian's private key, unlocked with their passphrase for one act (a reveal, a release, a
/// change of custodians or keys), and never written anywhere in plain.
///
/// Unchecked Sendable because swift-crypto 3 does not mark its keys Sendable, though they are
/// immutable values.
public struct UnlockedCustodian: @unchecked Sendable {
  public let login: String
  let key: Curve25519.KeyAgreement.PrivateKey

  /// The same key pair under a new passphrase (and a fresh salt, at `cost`).
  public func sealed(under passphrase: String, cost: PassphraseCost) throws(SealingError) -> CustodianKey {
    let salt = PassphraseKey.salt()
    let kek = try PassphraseKey(login: login, passphrase: passphrase, salt: salt, cost: cost)
    let publicKey = Array(key.publicKey.rawRepresentation)
    do {
      let box = try AES.GCM.seal(
        key.rawRepresentation, using: kek.key, authenticating: CustodianKey.context(login, publicKey))
      return CustodianKey(
        login: login, publicKey: publicKey, salt: salt, cost: cost,
        wrappedPrivateKey: [CustodianKey.format] + Array(box.combined!))
    } catch {
      throw .failed("\(login)'s custodian key could not be sealed: \(error)")
    }
  }
}

/// The office's private key wrapped for one custodian, or for a pair who must be present together
/// (a reveal quorum of 2). The private key exists only in such wraps: one per custodian while the
/// quorum is 1, one per pair while it is 2 — never both, or one custodian alone could open a single
/// wrap. Raising the quorum therefore goes with a new office key, since a single wrap copied before
/// could still open the old one.
///
/// A pair's wrap is HPKE (RFC 9180, base mode) to the second custodian's public key inside HPKE to
/// the first's, in login order: neither private key alone opens it, no secret is split by hand, and
/// it is made from the two public keys, so adding a custodian or rotating the office key needs only
/// the custodians who unlock it, not every pair's.
public struct OfficeWrap: Sendable, Equatable {
  /// The custodians whose keys open this wrap, in login order: one, or two for a pair.
  public let custodians: [String]
  /// The fingerprint of the office key inside.
  public let fingerprint: String
  /// Format byte, then for each custodian in order HPKE's encapsulated key and the sealed layer.
  public let wrapped: [UInt8]

  static let format: UInt8 = 1

  public init(custodians: [String], fingerprint: String, wrapped: [UInt8]) {
    self.custodians = custodians
    self.fingerprint = fingerprint
    self.wrapped = wrapped
  }

  /// Wraps `office` to these custodians' public keys: one, or two different ones.
  public static func wrap(_ office: OfficePrivateKey, to keys: [CustodianKey]) throws(SealingError)
    -> OfficeWrap
  {
    let sorted = keys.sorted { $0.login < $1.login }
    let logins = sorted.map(\.login)
    try checkShape(logins)
    let fingerprint = office.publicKey.fingerprint
    let context = Self.context(logins, fingerprint)
    var layer = office.rawRepresentation
    do {
      // The last custodian's layer innermost, so the first's is opened first.
      for key in sorted.reversed() {
        let recipient = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: key.publicKey)
        var sender = try HPKE.Sender(
          recipientKey: recipient, ciphersuite: Envelope.ciphersuite, info: Data(context))
        let sealed = try sender.seal(layer, authenticating: context)
        layer = Array(sender.encapsulatedKey) + Array(sealed)
      }
    } catch {
      throw .failed("the office key could not be wrapped for \(logins.joined(separator: " and ")): \(error)")
    }
    return OfficeWrap(custodians: logins, fingerprint: fingerprint, wrapped: [format] + layer)
  }

  /// The office's private key, with this wrap's custodians unlocked (in any order).
  public func unwrap(with unlocked: [UnlockedCustodian]) throws(SealingError) -> OfficePrivateKey {
    let sorted = unlocked.sorted { $0.login < $1.login }
    guard sorted.map(\.login) == custodians else {
      throw .doesNotOpen("the office key's wrap for \(custodians.joined(separator: " and "))")
    }
    guard wrapped.count > 1, wrapped[0] == Self.format else { throw .malformed("a wrap of the office key") }
    let context = Self.context(custodians, fingerprint)
    var layer = Array(wrapped[1...])
    for custodian in sorted {
      guard layer.count > 32 else { throw .malformed("a wrap of the office key") }
      do {
        var recipient = try HPKE.Recipient(
          privateKey: custodian.key, ciphersuite: Envelope.ciphersuite, info: Data(context),
          encapsulatedKey: Data(layer[..<32]))
        layer = Array(try recipient.open(layer[32...], authenticating: context))
      } catch {
        throw .doesNotOpen("the office key's wrap for \(custodians.joined(separator: " and "))")
      }
    }
    let office = try OfficePrivateKey(rawRepresentation: layer)
    guard office.publicKey.fingerprint == fingerprint else { throw .doesNotOpen("a wrap of the office key") }
    return office
  }

  private static func checkShape(_ logins: [String]) throws(SealingError) {
    guard logins.count == 1 || (logins.count == 2 && logins[0] != logins[1]) else {
      throw .failed("a wrap is for one custodian or for two different ones, not \(logins)")
    }
  }

  /// What a wrap is bound to: its kind (by the count of custodians), the key inside, and whose it
  /// is, each length-prefixed so that no two lists of logins read the same.
  static func context(_ custodians: [String], _ fingerprint: String) -> [UInt8] {
    Array("docket office wrap v1".utf8) + lengthPrefixed(([fingerprint] + custodians).map { Array($0.utf8) })
  }
}

/// Fields one after another, each with its length in two bytes, after their count.
func lengthPrefixed(_ fields: [[UInt8]]) -> [UInt8] {
  var out = [UInt8(fields.count)]
  for field in fields {
    out += [UInt8(field.count >> 8 & 0xFF), UInt8(field.count & 0xFF)] + field
  }
  return out
}
