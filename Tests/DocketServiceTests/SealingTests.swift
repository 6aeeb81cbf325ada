import DocketService
import Foundation
import Testing

/// The sealing that intake will do with the office's public key alone, and the custodians' wraps
/// of the private key that only a leader's passphrase opens (issue 16).
@Suite("Sealing to the office key, and custodians' wraps")
struct SealingTests {
  /// Cheap enough for tests; the real cost is ``PassphraseCost/current``.
  static let cheap = PassphraseCost(rounds: 1 << 10, blockSize: 8, parallelism: 1)

  static func key(_ login: String, _ passphrase: String, salt: [UInt8]) throws -> PassphraseKey {
    try PassphraseKey(login: login, passphrase: passphrase, salt: salt, cost: cheap)
  }

  @Test("a batch seals with the public key's 32 bytes alone; the private key opens every value")
  func sealWithPublicKeyOnly() throws {
    let office = OfficePrivateKey.generate()
    // All a registrar's machine holds: the bytes stored in the database.
    let published = try OfficePublicKey(rawRepresentation: office.publicKey.rawRepresentation)
    #expect(published.fingerprint == office.publicKey.fingerprint)
    #expect(published.fingerprint.count == 16)

    let envelope = try Envelope(sealingTo: published)
    let names = (0..<500).map { "举报人\($0) 13800138\(String(format: "%03d", $0))" }
    let sealed = try names.enumerated().map { index, name in
      try envelope.seal(Array(name.utf8), context: "identity|2021-XF-\(index)")
    }
    // One public-key operation for the batch: every value carries only a nonce and a tag over its text.
    for (name, value) in zip(names, sealed) {
      #expect(value.count == name.utf8.count + Envelope.valueOverhead)
      #expect(Data(value).range(of: Data(name.utf8)) == nil)
    }
    #expect(envelope.header.count == 81)

    let opened = try Envelope(opening: envelope.header, with: office)
    let plain = try sealed.enumerated().map { index, value in
      String(decoding: try opened.open(value, context: "identity|2021-XF-\(index)"), as: UTF8.self)
    }
    #expect(plain == names)
  }

  @Test("a value does not open for another item, with changed bytes, or under another office key")
  func bindings() throws {
    let office = OfficePrivateKey.generate()
    let envelope = try Envelope(sealingTo: office.publicKey)
    let sealed = try envelope.seal(Array("王某 13912345678".utf8), context: "identity|2021-XF-00001")
    let opened = try Envelope(opening: envelope.header, with: office)

    #expect(throws: SealingError.doesNotOpen("a sealed value")) {
      try opened.open(sealed, context: "identity|2021-XF-00002")
    }
    var changed = sealed
    changed[20] ^= 1
    #expect(throws: SealingError.doesNotOpen("a sealed value")) {
      try opened.open(changed, context: "identity|2021-XF-00001")
    }
    #expect(throws: SealingError.doesNotOpen("an envelope's data key")) {
      try Envelope(opening: envelope.header, with: .generate())
    }
    #expect(throws: SealingError.malformed("a sealed value")) { try opened.open([2, 0, 1], context: "x") }
    #expect(throws: SealingError.malformed("an envelope's header")) {
      try Envelope(opening: Array(envelope.header.dropLast()), with: office)
    }
    #expect(throws: SealingError.malformedKey("the office's public key")) {
      try OfficePublicKey(rawRepresentation: [1, 2, 3])
    }
  }

  @Test("two envelopes have different data keys: one opened header opens none of the other's values")
  func freshDataKeys() throws {
    let office = OfficePrivateKey.generate()
    let first = try Envelope(sealingTo: office.publicKey)
    let second = try Envelope(sealingTo: office.publicKey)
    #expect(first.header != second.header)
    let sealed = try second.seal(Array("李某".utf8), context: "identity|R")
    let opened = try Envelope(opening: first.header, with: office)
    #expect(throws: SealingError.doesNotOpen("a sealed value")) {
      try opened.open(sealed, context: "identity|R")
    }
  }

  @Test("a custodian's wrap opens with that custodian's passphrase only")
  func custodianWrap() throws {
    let office = OfficePrivateKey.generate()
    let salt = PassphraseKey.salt()
    let wrap = try CustodianWrap.wrap(office, for: [Self.key("l1", "正确的口令 one", salt: salt)])
    #expect(wrap.custodians == ["l1"])
    #expect(wrap.fingerprint == office.publicKey.fingerprint)
    let envelope = try Envelope(sealingTo: office.publicKey)

    let unwrapped = try wrap.unwrap(with: [Self.key("l1", "正确的口令 one", salt: salt)])
    #expect(unwrapped.publicKey == office.publicKey)
    #expect(
      try Envelope(opening: envelope.header, with: unwrapped).fingerprint == office.publicKey.fingerprint)

    #expect(throws: SealingError.wrongPassphrase) {
      try wrap.unwrap(with: [Self.key("l1", "正确的口令 two", salt: salt)])
    }
    // The same passphrase under another custodian's name, or with another salt, is no good either.
    #expect(throws: SealingError.wrongPassphrase) {
      try wrap.unwrap(with: [Self.key("l2", "正确的口令 one", salt: salt)])
    }
    #expect(throws: SealingError.wrongPassphrase) {
      try wrap.unwrap(with: [Self.key("l1", "正确的口令 one", salt: PassphraseKey.salt())])
    }
    #expect(throws: SealingError.wrongPassphrase) {
      try PassphraseKey(login: "l1", passphrase: "", salt: salt, cost: Self.cheap)
    }
  }

  @Test("a passphrase opens whether it was typed composed or decomposed")
  func composedPassphrase() throws {
    let office = OfficePrivateKey.generate()
    let salt = PassphraseKey.salt()
    // é as one code point, and as e with a combining accent.
    let wrap = try CustodianWrap.wrap(office, for: [Self.key("l1", "caf\u{E9} 口令", salt: salt)])
    #expect(
      try wrap.unwrap(with: [Self.key("l1", "cafe\u{301} 口令", salt: salt)]).publicKey == office.publicKey)
  }

  @Test("a pair's wrap needs both custodians at once, in either order; neither alone opens it")
  func pairWrap() throws {
    let office = OfficePrivateKey.generate()
    let (salt1, salt2) = (PassphraseKey.salt(), PassphraseKey.salt())
    let l1 = try Self.key("l1", "甲的口令", salt: salt1)
    let l2 = try Self.key("l2", "乙的口令", salt: salt2)
    let pair = try CustodianWrap.wrap(office, for: [l2, l1])
    #expect(pair.custodians == ["l1", "l2"])

    #expect(try pair.unwrap(with: [l1, l2]).publicKey == office.publicKey)
    #expect(try pair.unwrap(with: [l2, l1]).publicKey == office.publicKey)
    #expect(throws: SealingError.wrongPassphrase) { try pair.unwrap(with: [l1]) }
    #expect(throws: SealingError.wrongPassphrase) { try pair.unwrap(with: [l2]) }
    #expect(throws: SealingError.wrongPassphrase) {
      try pair.unwrap(with: [l1, Self.key("l2", "乙的口令?", salt: salt2)])
    }
    // A custodian's own wrap does not open the pair's, nor the pair's keys one custodian's.
    let single = try CustodianWrap.wrap(office, for: [l1])
    #expect(single.wrapped != pair.wrapped)
    #expect(throws: SealingError.wrongPassphrase) { try single.unwrap(with: [l1, l2]) }
    #expect(throws: (any Error).self) { try CustodianWrap.wrap(office, for: [l1, l1]) }
  }

  @Test("the passphrase cost for new custodians is memory-hard: at least 64 MiB per guess")
  func currentCost() throws {
    let cost = PassphraseCost.current
    #expect(128 * cost.rounds * cost.blockSize * cost.parallelism >= 64 << 20)
    let key = try PassphraseKey(login: "l1", passphrase: "口令", salt: PassphraseKey.salt(), cost: cost)
    #expect(key.login == "l1")
    // A cost no docket sets, read from a changed row, is refused before any memory is taken.
    for bad in [
      PassphraseCost(rounds: 1 << 30, blockSize: 8, parallelism: 1),
      PassphraseCost(rounds: 3000, blockSize: 8, parallelism: 1),
      PassphraseCost(rounds: 1 << 4, blockSize: 8, parallelism: 1),
    ] {
      #expect(throws: SealingError.malformed("a custodian's passphrase cost")) {
        try PassphraseKey(login: "l1", passphrase: "口令", salt: [], cost: bad)
      }
    }
  }
}
