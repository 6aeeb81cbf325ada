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

    let opened = try Envelope(id: envelope.id, opening: envelope.header, with: office)
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
    let opened = try Envelope(id: envelope.id, opening: envelope.header, with: office)

    #expect(throws: SealingError.doesNotOpen("a sealed value")) {
      try opened.open(sealed, context: "identity|2021-XF-00002")
    }
    var changed = sealed
    changed[20] ^= 1
    #expect(throws: SealingError.doesNotOpen("a sealed value")) {
      try opened.open(changed, context: "identity|2021-XF-00001")
    }
    #expect(throws: SealingError.doesNotOpen("an envelope's data key")) {
      try Envelope(id: envelope.id, opening: envelope.header, with: .generate())
    }
    #expect(throws: SealingError.malformed("a sealed value")) { try opened.open([3, 0, 1], context: "x") }
    #expect(Envelope.id(of: sealed) == envelope.id)
    #expect(throws: SealingError.malformed("an envelope's header")) {
      try Envelope(id: envelope.id, opening: Array(envelope.header.dropLast()), with: office)
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
    let opened = try Envelope(id: second.id, opening: first.header, with: office)
    #expect(throws: SealingError.doesNotOpen("a sealed value")) {
      try opened.open(sealed, context: "identity|R")
    }
  }

  static func custodian(_ login: String, _ passphrase: String) throws -> (CustodianKey, UnlockedCustodian) {
    try CustodianKey.create(login: login, passphrase: passphrase, cost: cheap)
  }

  @Test("a custodian's private key opens with that custodian's passphrase only, composed or decomposed")
  func custodianKey() throws {
    let (key, _) = try Self.custodian("l1", "caf\u{E9} 正确的口令")
    // é as one code point, and as e with a combining accent.
    #expect(try key.unlock(passphrase: "cafe\u{301} 正确的口令").login == "l1")
    #expect(throws: SealingError.wrongPassphrase) { try key.unlock(passphrase: "café 错误的口令") }
    #expect(throws: SealingError.wrongPassphrase) { try key.unlock(passphrase: "") }
    // The same sealed key under another custodian's name does not open either.
    let renamed = CustodianKey(
      login: "l2", publicKey: key.publicKey, salt: key.salt, cost: key.cost,
      wrappedPrivateKey: key.wrappedPrivateKey)
    #expect(throws: SealingError.wrongPassphrase) { try renamed.unlock(passphrase: "caf\u{E9} 正确的口令") }
    // A new passphrase seals the same key pair.
    let unlocked = try key.unlock(passphrase: "caf\u{E9} 正确的口令")
    let changed = try unlocked.sealed(under: "新口令 new one", cost: Self.cheap)
    #expect(changed.publicKey == key.publicKey && changed.salt != key.salt)
    #expect(try changed.unlock(passphrase: "新口令 new one").login == "l1")
  }

  @Test("a wrap to one custodian opens with their key; it is made from the public key alone")
  func singleWrap() throws {
    let office = OfficePrivateKey.generate()
    let (l1, unlocked) = try Self.custodian("l1", "甲的口令 one")
    let (_, other) = try Self.custodian("l2", "乙的口令 two")
    let wrap = try OfficeWrap.wrap(office, to: [l1])
    #expect(wrap.custodians == ["l1"] && wrap.fingerprint == office.publicKey.fingerprint)
    let envelope = try Envelope(sealingTo: office.publicKey)
    let opened = try wrap.unwrap(with: [unlocked])
    #expect(opened.publicKey == office.publicKey)
    #expect(
      try Envelope(id: envelope.id, opening: envelope.header, with: opened).fingerprint
        == office.publicKey.fingerprint)
    #expect(throws: SealingError.doesNotOpen("the office key's wrap for l1")) {
      try wrap.unwrap(with: [other])
    }
  }

  @Test("a pair's wrap needs both custodians at once, in either order; neither alone opens it")
  func pairWrap() throws {
    let office = OfficePrivateKey.generate()
    let (k1, l1) = try Self.custodian("l1", "甲的口令 one")
    let (k2, l2) = try Self.custodian("l2", "乙的口令 two")
    let pair = try OfficeWrap.wrap(office, to: [k2, k1])
    #expect(pair.custodians == ["l1", "l2"])
    #expect(try pair.unwrap(with: [l1, l2]).publicKey == office.publicKey)
    #expect(try pair.unwrap(with: [l2, l1]).publicKey == office.publicKey)
    #expect(throws: SealingError.doesNotOpen("the office key's wrap for l1 and l2")) {
      try pair.unwrap(with: [l1])
    }
    #expect(throws: SealingError.doesNotOpen("the office key's wrap for l1 and l2")) {
      try pair.unwrap(with: [l2])
    }
    // Another key under l2's name does not open l2's layer.
    let (_, impostor) = try Self.custodian("l2", "乙的口令 two")
    #expect(throws: SealingError.doesNotOpen("the office key's wrap for l1 and l2")) {
      try pair.unwrap(with: [l1, impostor])
    }
    let single = try OfficeWrap.wrap(office, to: [k1])
    #expect(single.wrapped != pair.wrapped)
    #expect(throws: SealingError.doesNotOpen("the office key's wrap for l1")) {
      try single.unwrap(with: [l1, l2])
    }
    #expect(
      throws: SealingError.failed(
        "a wrap is for one custodian or for two different ones, not [\"l1\", \"l1\"]")
    ) {
      try OfficeWrap.wrap(office, to: [k1, k1])
    }
  }

  @Test("a rotation's re-sealed header opens the same values under the new key, not the old")
  func resealedHeader() throws {
    let (old, new) = (OfficePrivateKey.generate(), OfficePrivateKey.generate())
    let envelope = try Envelope(sealingTo: old.publicKey)
    let sealed = try envelope.seal(Array("王某".utf8), context: "identity|R")
    let moved = try Envelope(id: envelope.id, opening: envelope.header, with: old).resealed(to: new.publicKey)
    #expect(moved.id == envelope.id && moved.header != envelope.header)
    let opened = try Envelope(id: moved.id, opening: moved.header, with: new)
    #expect(String(decoding: try opened.open(sealed, context: "identity|R"), as: UTF8.self) == "王某")
    #expect(throws: SealingError.doesNotOpen("an envelope's data key")) {
      try Envelope(id: moved.id, opening: moved.header, with: old)
    }
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
