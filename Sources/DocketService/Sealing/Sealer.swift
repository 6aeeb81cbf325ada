import DocketCore
import DocketStore
import Foundation

/// What a transaction that registers something seals with: a fresh envelope to the office's public
/// key, whose row is written in the same transaction, and the matching key. No private key.
struct Sealer: Sendable {
  let envelope: Envelope
  let matching: MatchingKey

  func seal(_ identity: ReporterIdentity, ref: String) throws(DocketError) -> [UInt8] {
    let plain: Data
    do { plain = try JSONEncoder().encode(identity) } catch {
      throw .sealing(.failed("a reporter's identity could not be encoded: \(error)"))
    }
    do { return try envelope.seal(Array(plain), context: SealedContext.identity(ref)) } catch {
      throw .sealing(error)
    }
  }

  /// Seals an attachment's bytes, bound to their SHA-256 (under which they are stored, once).
  func seal(attachment bytes: [UInt8], sha256: [UInt8]) throws(DocketError) -> [UInt8] {
    do { return try envelope.seal(bytes, context: SealedContext.attachment(sha256)) } catch {
      throw .sealing(error)
    }
  }

  /// Seals a whole email message, whose headers name its sender; bound to the SHA-256 of its bytes.
  func seal(message raw: [UInt8], digest: [UInt8]) throws(DocketError) -> [UInt8] {
    do { return try envelope.seal(raw, context: SealedContext.message(digest)) } catch {
      throw .sealing(error)
    }
  }
}

extension Docket {
  /// A sealer for the transaction in progress: one envelope per transaction, made on first use and
  /// written then, so that a phone call pays one public-key operation and a handover list one too.
  ///
  /// The key in use is read every transaction after waiting out a key change that is committing
  /// (``KeyRepository/lockForSealing()``), so nothing is sealed to a key being retired.
  func sealer() throws(DocketError) -> Sealer {
    if let sealer = transactionCache?.sealer { return sealer }
    let keys = KeyRepository(db)
    try store { try keys.lockForSealing() }
    // The key read by an earlier transaction is usually still in use: then sealing costs the lock
    // and the envelope's row, and the row's statement checks that it is.
    if let (key, matching) = sealingKeys {
      try checkPinned(key)
      let envelope = try Self.envelope(to: key)
      if try store({ try keys.addEnvelope(id: envelope.id, ifKeyInUse: key.id, header: envelope.header) }) {
        return remember(Sealer(envelope: envelope, matching: MatchingKey(bytes: matching)))
      }
    }
    let (key, matchingBytes) = try store { try keys.keysForSealing() }
    guard let key, let matchingBytes else {
      throw .refused(
        "This database has no office key yet, so nothing that names a reporter can be sealed; a leader sets it up with 'docket db init --custodian LOGIN' (or 'docket db migrate --custodian LOGIN' on a database from before sealing to an office key)."
      )
    }
    try checkPinned(key)
    let envelope = try Self.envelope(to: key)
    // The same statement as above, so that it is prepared from the second transaction on; under the
    // lock the key just read is still in use.
    guard try store({ try keys.addEnvelope(id: envelope.id, ifKeyInUse: key.id, header: envelope.header) })
    else {
      throw .temporary("The office key changed while this was being sealed; nothing was written. Try again.")
    }
    sealingKeys = (key, matchingBytes)
    return remember(Sealer(envelope: envelope, matching: MatchingKey(bytes: matchingBytes)))
  }

  private func remember(_ sealer: Sealer) -> Sealer {
    transactionCache?.sealer = sealer
    return sealer
  }

  private static func envelope(to key: StoredOfficeKey) throws(DocketError) -> Envelope {
    do {
      return try Envelope(sealingTo: try OfficePublicKey(rawRepresentation: key.publicKey))
    } catch { throw .sealing(error) }
  }

  /// Refuses to seal to a key other than the one pinned on this machine, if one is: whoever can
  /// change the stored public key would receive everything sealed after, and a pin kept where a
  /// database login cannot write catches it. `$DOCKET_OFFICE_KEY_PIN` names the file, else
  /// `$DOCKET_HOME/office-key.pin`; it holds fingerprints, one per line (a rotation adds one).
  func checkPinned(_ key: StoredOfficeKey) throws(DocketError) {
    guard let pin = officeKeyPin, let text = try? String(contentsOf: pin, encoding: .utf8) else { return }
    let pinned = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    guard !pinned.isEmpty, !pinned.contains(key.fingerprint) else { return }
    throw .sealing(
      .failed(
        "the office key in the database (\(key.fingerprint)) is not the one pinned in \(pin.path) (\(pinned.joined(separator: ", "))); nothing was sealed. If a custodian rotated the key, add its fingerprint from 'docket key status' to the pin file; otherwise the database's key was replaced: tell the custodians"
      ))
  }

  /// The pin file of this machine (``checkPinned(_:)``).
  var officeKeyPin: URL? {
    if let path = environment["DOCKET_OFFICE_KEY_PIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
    return home.appendingPathComponent("office-key.pin")
  }
}
