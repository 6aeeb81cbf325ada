import Crypto
import Foundation

/// Envelope encryption to the office's public key: one fresh data key per transaction or batch,
/// sealed once with HPKE (RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, base
/// mode), and each value under it with AES-256-GCM. A 200,000-row handover list pays one public-key
/// operation, not 200,000; each value costs 37 bytes over its plain text.
///
/// The envelope's ``header`` is stored once, in a row of its own under ``id``, which every sealed
/// value carries so that it can be opened wherever it is copied (a reply's message, a restore); the
/// data key is in memory only while the envelope is in use, and afterwards only a holder of the
/// office's private key can recover it from the header.
///
/// Unchecked Sendable because swift-crypto 3 does not mark `SymmetricKey` Sendable, though it is an
/// immutable value: a handover batch seals on a second thread.
public struct Envelope: @unchecked Sendable {
  /// Format byte, HPKE's encapsulated key (32 bytes), the data key sealed to the office (48 bytes).
  public let header: [UInt8]
  /// The envelope's row: random, so that a value can be sealed before anything is written, and never
  /// reused in practice (63 bits).
  public let id: Int64
  /// The fingerprint of the office key the data key is sealed to.
  public let fingerprint: String
  let dataKey: SymmetricKey

  static let headerFormat: UInt8 = 1
  static let valueFormat: UInt8 = 3
  static var ciphersuite: HPKE.Ciphersuite {
    HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_256)
  }
  static let info = Data("docket office seal v1".utf8)
  /// Bytes a sealed value adds to its plain text: format, envelope id, nonce and tag.
  public static let valueOverhead = 1 + 8 + 12 + 16

  /// A fresh data key, sealed to `office`: needs the public key only.
  public init(sealingTo office: OfficePublicKey) throws(SealingError) {
    try self.init(
      id: Int64.random(in: 1...Int64.max), dataKey: SymmetricKey(size: .bits256), sealingTo: office)
  }

  /// The same data key under the same id, sealed to another office key: what a rotation writes
  /// over the header, so that no value under it is touched.
  public func resealed(to office: OfficePublicKey) throws(SealingError) -> Envelope {
    try Envelope(id: id, dataKey: dataKey, sealingTo: office)
  }

  private init(id: Int64, dataKey: SymmetricKey, sealingTo office: OfficePublicKey) throws(SealingError) {
    do {
      var sender = try HPKE.Sender(recipientKey: office.key, ciphersuite: Self.ciphersuite, info: Self.info)
      let sealedKey = try dataKey.withUnsafeBytes { bytes in
        try sender.seal(Array(bytes), authenticating: Array(office.fingerprint.utf8))
      }
      header = [Self.headerFormat] + Array(sender.encapsulatedKey) + Array(sealedKey)
    } catch {
      throw .failed("the data key could not be sealed to the office key: \(error)")
    }
    self.dataKey = dataKey
    self.id = id
    fingerprint = office.fingerprint
  }

  /// The envelope of a stored `header`, opened with the office's private key: a custodian's act.
  public init(id: Int64, opening header: [UInt8], with office: OfficePrivateKey) throws(SealingError) {
    guard header.count == 1 + 32 + 48, header[0] == Self.headerFormat else {
      throw .malformed("an envelope's header")
    }
    let fingerprint = office.publicKey.fingerprint
    do {
      var recipient = try HPKE.Recipient(
        privateKey: office.key, ciphersuite: Self.ciphersuite, info: Self.info,
        encapsulatedKey: Data(header[1..<33]))
      let key = try recipient.open(header[33...], authenticating: Array(fingerprint.utf8))
      dataKey = SymmetricKey(data: key)
    } catch {
      throw .doesNotOpen("an envelope's data key")
    }
    self.header = header
    self.fingerprint = fingerprint
    self.id = id
  }

  /// The envelope a sealed value was sealed in, or nil if it is not one of these values (a value
  /// sealed with the symmetric key file of docket before 0018, which `db migrate` re-seals).
  public static func id(of sealed: [UInt8]) -> Int64? {
    guard sealed.count >= valueOverhead, sealed[0] == valueFormat else { return nil }
    return sealed[1..<9].reduce(Int64(0)) { $0 << 8 | Int64($1) }
  }

  /// Seals `plain` under the data key. `context` (what the value is and whose: `identity|2021-XF-00001`)
  /// is authenticated with it, so a sealed value copied to another item or field no longer opens.
  public func seal(_ plain: [UInt8], context: String) throws(SealingError) -> [UInt8] {
    do {
      let box = try AES.GCM.seal(plain, using: dataKey, authenticating: Array(context.utf8))
      let id = (0..<8).map { UInt8(truncatingIfNeeded: self.id >> (56 - 8 * $0)) }
      return [Self.valueFormat] + id + Array(box.combined!)
    } catch {
      throw .failed("a value could not be sealed: \(error)")
    }
  }

  /// Opens a value this envelope sealed for `context`.
  public func open(_ sealed: [UInt8], context: String) throws(SealingError) -> [UInt8] {
    guard let sealedIn = Self.id(of: sealed) else { throw .malformed("a sealed value") }
    guard sealedIn == id else { throw .doesNotOpen("a sealed value") }
    do {
      let box = try AES.GCM.SealedBox(combined: sealed[9...])
      return Array(try AES.GCM.open(box, using: dataKey, authenticating: Array(context.utf8)))
    } catch {
      throw .doesNotOpen("a sealed value")
    }
  }
}
