import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

@Suite("docket key rotate: every identity sealed again under a new key, in one transaction")
struct KeyRotationTests {
  /// A real-name accusation from 张三丰 (phone, email, address), received `at`.
  static func named(at: String = "2021-09-28 09:00", phone: String = "13800138000") -> IntakeRequest {
    var request = Office.call(at: beijing(at), name: "张三丰", phone: phone)
    request.reporterEmail = "zhangsanfeng@example.cn"
    request.reporterAddress = "雷州市西湖大道88号"
    return request
  }

  /// Every item's sealed identity, by reference.
  static func sealed(_ d: Docket) throws -> [(ref: String, sealed: [UInt8], match: String)] {
    try d.db.query(
      """
      SELECT ref, reporter_sealed, reporter_match::text AS match FROM items
      WHERE reporter_sealed IS NOT NULL ORDER BY id
      """
    ).map { (try $0.decode("ref"), try $0.decode("reporter_sealed"), try $0.decode("match")) }
  }

  /// Every kept and quarantined message, sealed, with the digest it is sealed with.
  static func messages(_ d: Docket) throws -> [(digest: [UInt8], sealed: [UInt8], senderMatch: [UInt8]?)] {
    try d.db.query(
      """
      SELECT raw_sha256, raw_sealed, sender_match FROM mail_messages
      UNION ALL SELECT raw_sha256, raw_sealed, NULL FROM mail_quarantine
      """
    ).map { (try $0.decode("raw_sha256"), try $0.decode("raw_sealed"), try $0.optional("sender_match")) }
  }

  /// What `vault` reads of every sealed identity, by reference.
  static func identities(_ d: Docket, _ vault: IdentityVault) throws -> [String: ReporterIdentity] {
    var out: [String: ReporterIdentity] = [:]
    for row in try sealed(d) { out[row.ref] = try vault.open(row.sealed, ref: row.ref) }
    return out
  }

  /// Whether an item's stored match hashes are exactly `hashes`.
  static func matchHashes(_ d: Docket, _ ref: String, equal hashes: [[UInt8]]) throws -> Bool {
    try #require(
      try d.db.first(
        "SELECT reporter_match = $2::bytea[] AS same FROM items WHERE ref = $1", [ref, ByteaArray(hashes)])
    ).decode("same")
  }

  static func keyID(_ d: Docket) throws -> String? {
    try d.db.first("SELECT value FROM settings WHERE key = 'identity_key_id'")?.optional("value")
  }

  static func take(_ d: Docket, _ raw: [UInt8], at: String) throws(DocketError) -> EmailOutcome {
    try d.intakeEmail(raw, origin: "test", arrivedAt: beijing(at), actor: "reg").outcome
  }

  @Test(
    "identities, messages and quarantine open with the new key file only, match hashes are recomputed, and it is journaled"
  )
  func rotatesEverything() throws {
    let scene = try Scene.make("keyrotate", now: beijing("2021-11-29 12:00"))
    let d = scene.d
    let phone = try scene.register(Self.named())
    _ = try scene.register(Office.call(at: beijing("2021-09-28 09:30"), name: nil, phone: nil))
    #expect(try Self.take(d, mail(), at: "2021-11-29 10:00") == .registered(ref: "2021-XF-00001"))
    let reply = mail(subject: "Re: 反映某局长收受红包", messageID: "<m2@example.com>", inReplyTo: "<m1@example.com>")
    #expect(try Self.take(d, reply, at: "2021-11-29 11:00") == .reply(ref: "2021-XF-00001"))
    let quarantined = try Self.take(d, Array("not a message".utf8), at: "2021-11-29 11:30")
    guard case .quarantined(let held, _, _, _) = quarantined else {
      Issue.record("the non-message was not quarantined: \(quarantined)")
      return
    }

    let oldVault = try d.keyFile.load()
    let before = try Self.identities(d, oldVault)
    #expect(before.keys.sorted() == [phone.ref, "2021-XF-00001"])
    let messagesBefore = try Self.messages(d).map { try oldVault.open(message: $0.sealed, digest: $0.digest) }
    #expect(messagesBefore.count == 3)
    let sealedBefore = try Self.sealed(d)

    // Batches of two, so that every table is read in several.
    let reports = Reports()
    d.progress = { reports.add($0) }
    let rotation = try d.rotateIdentityKey(actor: "admin", batch: 2, batchBytes: 1)
    d.progress = nil
    // Each table's progress counted page by page against its total, then finished once: the
    // messages a page each (batchBytes 1), the two identities in one page of two.
    let seen = reports.all.filter { $0.work == "key rotate" }
    for (unit, pages) in [("quarantined messages", [1]), ("messages", [1, 2]), ("identities", [2])] {
      let ofUnit = seen.filter { $0.unit == unit }
      #expect(ofUnit.map(\.done) == pages + [pages.last!], "\(unit)")
      #expect(ofUnit.allSatisfy { $0.total == pages.last! }, "\(unit)")
      #expect(ofUnit.map(\.finished) == pages.map { _ in false } + [true], "\(unit)")
    }
    #expect(rotation.oldKeyID == oldVault.keyID)
    #expect(rotation.newKeyID != oldVault.keyID)
    #expect(rotation.identities == 2)
    #expect(rotation.messages == 2)
    #expect(rotation.quarantined == 1)

    // The key file now holds the new key, the database says so, and no `.next` is left behind.
    let newVault = try d.keyFile.load()
    #expect(newVault.keyID == rotation.newKeyID)
    #expect(try Self.keyID(d) == rotation.newKeyID)
    #expect(!d.keyFile.next.exists)
    #expect(try Self.identities(d, newVault) == before)
    let sealedAfter = try Self.sealed(d)
    for (old, new) in zip(sealedBefore, sealedAfter) {
      #expect(old.sealed != new.sealed)
      #expect(old.match != new.match)
      // Nothing the old key file holds opens an identity any more.
      #expect(throws: DocketError.self) { try oldVault.open(new.sealed, ref: new.ref) }
      #expect(try Self.matchHashes(d, new.ref, equal: newVault.matchHashes(before[new.ref]!)))
    }
    let messagesAfter = try Self.messages(d)
    #expect(
      try messagesAfter.map { try newVault.open(message: $0.sealed, digest: $0.digest) } == messagesBefore)
    for message in messagesAfter {
      #expect(throws: DocketError.self) { try oldVault.open(message: message.sealed, digest: message.digest) }
    }
    // Each kept message's sender hash is the new key's hash of the sender's address.
    let senderHash = newVault.matchHashes(ReporterIdentity(email: "zhang.moumou@example.com")).first
    #expect(messagesAfter.prefix(2).map(\.senderMatch) == [senderHash, senderHash])

    // A leader reveals what was revealed before, on their own connection.
    let leader = try scene.test.person("boss")
    #expect(try leader.reveal(phone.ref, reason: "核实后向举报人反馈", actor: nil) == before[phone.ref])
    #expect(
      try leader.reveal("2021-XF-00001", reason: "核实举报人身份", actor: nil).email == "zhang.moumou@example.com")
    // Quarantined mail still opens for a retry (and, not being mail, stays held).
    guard case .quarantined = try d.retryQuarantined(held, actor: "reg").outcome else {
      Issue.record("a retry of the non-message did not keep it in quarantine")
      return
    }

    // The journal names the keys and counts, never an identity, and still verifies.
    let events = try d.journalLog(ref: nil, actor: "aud")
    let event = try #require(events.first { $0.event == "identity_key_rotated" })
    #expect(event.actor == "admin")
    let payload = try JSONDecoder().decode([String: String].self, from: Data(event.payload.utf8))
    #expect(
      payload == [
        "old_key_id": rotation.oldKeyID, "new_key_id": rotation.newKeyID, "identities": "2", "messages": "2",
        "quarantined": "1",
      ])
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test(
    "after a rotation, the same reporter is matched, email replies thread, and a connection opened before seals with the new key"
  )
  func matchingAfterRotation() throws {
    let scene = try Scene.make("keymatch", now: beijing("2021-11-29 12:00"))
    let d = scene.d
    let first = try scene.register(Self.named())
    #expect(try Self.take(d, mail(), at: "2021-11-29 10:00") == .registered(ref: "2021-XF-00001"))
    // Another process, whose vault was loaded before the rotation.
    let other = try scene.test.second()
    _ = try other.intake(Self.named(at: "2021-09-28 09:10", phone: "13900139000"), actor: "reg")

    let rotation = try d.rotateIdentityKey(actor: "admin")

    let again = try other.intake(Self.named(at: "2021-09-29 09:00"), actor: "reg")
    let newVault = try d.keyFile.load()
    #expect(newVault.keyID == rotation.newKeyID)
    #expect(try Self.identities(d, newVault)[again.ref]?.phone == "13800138000")
    // Duplicate detection: the same phone and email give the same keyed hashes as the rotated item.
    let shared: Bool = try #require(
      try d.db.first(
        "SELECT a.reporter_match && b.reporter_match AS shared FROM items a, items b WHERE a.ref = $1 AND b.ref = $2",
        [first.ref, again.ref])
    ).decode("shared")
    #expect(shared)

    // A reply from the same sender joins its item; from anyone else it is a new item.
    let reply = mail(subject: "Re: 反映某局长收受红包", messageID: "<m2@example.com>", inReplyTo: "<m1@example.com>")
    #expect(try Self.take(other, reply, at: "2021-11-29 11:00") == .reply(ref: "2021-XF-00001"))
    let stranger = mail(
      from: "王五 <wangwu@example.com>", subject: "Re: 反映某局长收受红包", messageID: "<m3@example.com>",
      inReplyTo: "<m1@example.com>")
    #expect(try Self.take(d, stranger, at: "2021-11-29 11:10") == .registered(ref: "2021-XF-00002"))
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test("a rotation that committed but stopped before moving the new key file is finished on the next open")
  func interruptedAfterCommit() throws {
    let scene = try Scene.make("keycrash")
    let item = try scene.register(Self.named())
    let keyFile = scene.d.keyFile
    let oldText = try Data(contentsOf: keyFile.url)
    let rotation = try scene.d.rotateIdentityKey(actor: "admin")
    // Put the files back as they were between COMMIT and rename(2): the old key in place, the new
    // one beside it as `.next`.
    #expect(rename(keyFile.url.path, keyFile.next.url.path) == 0)
    #expect(
      FileManager.default.createFile(
        atPath: keyFile.url.path, contents: oldText, attributes: [.posixPermissions: 0o600]))
    #expect(try keyFile.load().keyID == rotation.oldKeyID)

    let reopened = try scene.test.second()
    let leader = try scene.test.person("boss")
    #expect(try leader.reveal(item.ref, reason: "核实后向举报人反馈", actor: nil).name == "张三丰")
    #expect(try keyFile.load().keyID == rotation.newKeyID)
    #expect(!keyFile.next.exists)
    _ = try reopened.intake(Self.named(at: "2021-09-29 09:00"), actor: "reg")
    #expect(try Self.identities(scene.d, try keyFile.load()).count == 2)
  }

  @Test("a .next key left by a rotation that never committed is ignored, and the next rotation replaces it")
  func staleNextKey() throws {
    let scene = try Scene.make("keystale")
    let item = try scene.register(Self.named())
    let keyFile = scene.d.keyFile
    let stale = try keyFile.next.create()
    let current = try keyFile.load()

    let reopened = try scene.test.second()
    _ = try reopened.intake(Self.named(at: "2021-09-29 09:00"), actor: "reg")
    #expect(try keyFile.load().keyID == current.keyID)
    #expect(try keyFile.next.load().keyID == stale.keyID)

    let rotation = try reopened.rotateIdentityKey(actor: "admin")
    #expect(rotation.oldKeyID == current.keyID)
    #expect(rotation.newKeyID != stale.keyID)
    #expect(!keyFile.next.exists)
    #expect(try Self.identities(scene.d, try keyFile.load())[item.ref]?.name == "张三丰")
    #expect(rotation.identities == 2)
  }

  @Test("with another key file the rotation is refused, and nothing changes")
  func wrongKeyFileRefused() throws {
    let scene = try Scene.make("keywrong")
    let item = try scene.register(Self.named())
    let otherKey = TestCluster.shared.root.appendingPathComponent("\(scene.test.database)-other.key")
    _ = try KeyFile(url: otherKey).create()
    var environment = scene.test.environment
    environment["DOCKET_KEY_FILE"] = otherKey.path
    let other = try Docket.open(environment: environment, sqlDirectory: TestCluster.shared.sqlDirectory)
    let keyID = try Self.keyID(scene.d)
    let sealedBefore = try Self.sealed(scene.d)

    let error = expectRefusal(.identityKey) { () throws(DocketError) in
      try other.rotateIdentityKey(actor: "admin")
    }
    #expect(
      error?.description.hasPrefix(
        "The identity key was not rotated: the key file \(otherKey.path) is not the key") == true)
    #expect(try Self.keyID(scene.d) == keyID)
    #expect(try Self.sealed(scene.d).map(\.sealed) == sealedBefore.map(\.sealed))
    #expect(!other.keyFile.next.exists)
    #expect(try scene.d.journalLog(ref: nil, actor: "aud").allSatisfy { $0.event != "identity_key_rotated" })
    #expect(try Self.identities(scene.d, try scene.d.keyFile.load())[item.ref]?.name == "张三丰")
  }

  @Test("an identity that does not open stops the rotation: nothing changes and the next key is removed")
  func failureRollsBack() throws {
    let scene = try Scene.make("keyfail")
    let good = try scene.register(Self.named())
    let bad = try scene.register(Self.named(at: "2021-09-28 09:10", phone: "13900139000"))
    // A sealed identity moved to another item no longer opens.
    try scene.d.db.query(
      "UPDATE items SET reporter_sealed = (SELECT reporter_sealed FROM items WHERE ref = $1) WHERE ref = $2",
      [good.ref, bad.ref])
    let keyID = try Self.keyID(scene.d)
    let keyText = try Data(contentsOf: scene.d.keyFile.url)
    let sealedBefore = try Self.sealed(scene.d)

    let error = expectRefusal(.identityKey) { () throws(DocketError) in
      try scene.d.rotateIdentityKey(actor: "admin", batch: 1, batchBytes: 1)
    }
    #expect(error?.description.contains(bad.ref) == true)
    #expect(try Self.keyID(scene.d) == keyID)
    #expect(try Self.sealed(scene.d).map(\.sealed) == sealedBefore.map(\.sealed))
    #expect(try Data(contentsOf: scene.d.keyFile.url) == keyText)
    #expect(!scene.d.keyFile.next.exists)
    let goodSealed = try #require(try Self.sealed(scene.d).first { $0.ref == good.ref })
    #expect(try scene.d.keyFile.load().open(goodSealed.sealed, ref: good.ref).name == "张三丰")
  }

  @Test("a rotation waits for a transaction that sealed with the old key, then re-encrypts what it wrote")
  func waitsForSealingTransaction() throws {
    let scene = try Scene.make("keywait")
    let anonymous = try scene.register(Office.call(at: beijing("2021-09-28 09:00"), name: nil, phone: nil))
    // Another process in the middle of sealing an identity with the key it has.
    let writer = try scene.test.second()
    try writer.db.run(script: "BEGIN")
    let oldVault = try writer.vault()
    let identity = ReporterIdentity(name: "李四", phone: "13900139000")
    try writer.db.query(
      "UPDATE items SET reporter_sealed = $2, reporter_match = $3::bytea[] WHERE ref = $1",
      [
        anonymous.ref, try oldVault.seal(identity, ref: anonymous.ref),
        ByteaArray(oldVault.matchHashes(identity)),
      ])

    let rotator = Handed(scene.d)
    let outcome = Locked<Result<KeyRotation, DocketError>?>(nil)
    let finished = DispatchSemaphore(value: 0)
    let handedFinished = Handed(finished)
    Thread {
      let result = Result { () throws(DocketError) in try rotator.value.rotateIdentityKey(actor: "admin") }
      outcome.withLock { $0 = result }
      handedFinished.value.signal()
    }.start()
    #expect(finished.wait(timeout: .now() + 1) == .timedOut, "the rotation did not wait for the writer")
    try writer.db.run(script: "COMMIT")
    #expect(finished.wait(timeout: .now() + 60) == .success)

    let rotation = try #require(outcome.withLock { $0 }).get()
    #expect(rotation.identities == 1)
    let newVault = try scene.d.keyFile.load()
    #expect(try Self.identities(scene.d, newVault)[anonymous.ref] == identity)
    #expect(try Self.matchHashes(scene.d, anonymous.ref, equal: newVault.matchHashes(identity)))
    // The writer's next seal waits for nothing and uses the new key.
    #expect(try writer.vault().keyID == rotation.newKeyID)
  }

  @Test("a sender hash is recomputed from the message when the item's identity no longer names the sender")
  func senderHashFromMessage() throws {
    let scene = try Scene.make("keysender", now: beijing("2021-11-29 12:00"))
    let d = scene.d
    #expect(try Self.take(d, mail(), at: "2021-11-29 10:00") == .registered(ref: "2021-XF-00001"))
    // The item's identity, as if corrected since, without the address the message came from.
    let oldVault = try d.keyFile.load()
    let corrected = ReporterIdentity(name: "张某某", phone: "13800138000")
    try d.db.query(
      "UPDATE items SET reporter_sealed = $2, reporter_match = $3::bytea[] WHERE ref = $1",
      [
        "2021-XF-00001", try oldVault.seal(corrected, ref: "2021-XF-00001"),
        ByteaArray(oldVault.matchHashes(corrected)),
      ])

    let rotation = try d.rotateIdentityKey(actor: "admin")
    #expect(rotation.messages == 1)
    let newVault = try d.keyFile.load()
    #expect(
      try Self.messages(d).map(\.senderMatch)
        == [newVault.matchHashes(ReporterIdentity(email: "zhang.moumou@example.com")).first])
  }

  @Test("a sender hash that matches neither the item nor the message stops the rotation")
  func unknownSenderHashRefused() throws {
    let scene = try Scene.make("keybadsender", now: beijing("2021-11-29 12:00"))
    let d = scene.d
    #expect(try Self.take(d, mail(), at: "2021-11-29 10:00") == .registered(ref: "2021-XF-00001"))
    try d.db.query("UPDATE mail_messages SET sender_match = $1", [[UInt8](repeating: 7, count: 32)])
    let keyID = try Self.keyID(d)

    let error = expectRefusal(.refused) { () throws(DocketError) in try d.rotateIdentityKey(actor: "admin") }
    #expect(error?.description.contains("email message 1 of 2021-XF-00001") == true)
    #expect(error?.description.contains("zhang.moumou") == false)
    #expect(try Self.keyID(d) == keyID)
    #expect(!d.keyFile.next.exists)
  }

  @Test("only an administrator rotates the key")
  func onlyAdministrators() throws {
    let scene = try Scene.make("keyperm")
    _ = try scene.register(Self.named())
    let keyID = try Self.keyID(scene.d)
    for login in ["reg", "h1", "boss", "cm", "aud"] {
      expectRefusal(.forbidden) { () throws(DocketError) in try scene.d.rotateIdentityKey(actor: login) }
    }
    #expect(try Self.keyID(scene.d) == keyID)
    #expect(!scene.d.keyFile.next.exists)
  }
}

/// Progress reports as they come, from whichever thread sends them.
final class Reports: @unchecked Sendable {
  private let lock = NSLock()
  private var reports: [ProgressReport] = []
  func add(_ report: ProgressReport) { lock.withLock { reports.append(report) } }
  var all: [ProgressReport] { lock.withLock { reports } }
}
