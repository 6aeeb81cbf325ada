import Crypto
import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// The office key in use (issue 16): intake seals with its public half alone, and only custodians,
/// with their passphrases, open anything; refusals are journaled, wrong passphrases counted.
@Suite("The office key: sealing without a secret, custodians, quorum, rotation, upgrade")
struct OfficeKeyTests {
  let scene: Scene
  var d: Docket { scene.d }
  var test: TestDocket { scene.test }

  init() throws {
    scene = try Scene.make("officekey", now: beijing("2021-10-08 12:00"))
    _ = try d.addStaff(login: "boss2", name: "第二领导", roles: [.leader], unit: nil, actor: "admin")
  }

  func register() throws -> Item {
    var request = Office.call(at: beijing("2021-09-28 09:00"))
    request.reporterEmail = "zhangsanfeng@example.cn"
    return try d.intake(request, actor: "reg")
  }

  func events(_ name: String) throws -> [JournalEntry] {
    try d.journalLog(ref: nil, actor: "aud").filter { $0.event == name }
  }

  func boss(_ passphrase: String = TestDocket.passphrase, with other: String? = nil) throws -> (
    Docket, [CustodianPassphrase]
  ) {
    let boss = try test.person("boss")
    var given = [CustodianPassphrase(login: "boss", passphrase: passphrase)]
    if let other {
      try test.makeCustodian(other)
      given.append(CustodianPassphrase(login: other, passphrase: TestDocket.passphrase))
    }
    return (boss, given)
  }

  @Test(
    "a registrar's docket, holding no key of any kind, seals to the office key; the stored value is an envelope's"
  )
  func intakeHoldsNoSecret() throws {
    // Nothing in the registrar's environment names a key: no key file, no passphrase.
    #expect(!test.environment.keys.contains { $0.contains("KEY_FILE") || $0.contains("PASSPHRASE") })
    let registrar = try test.open(as: try test.staffOnOwnRole("p.reg", name: "登记员乙", roles: [.registrar]))
    let item = try registrar.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: nil)
    let row = try #require(
      try d.db.first("SELECT reporter_sealed FROM items WHERE ref = $1", [item.ref]))
    let sealed: [UInt8] = try row.decode("reporter_sealed")
    let envelope = try #require(Envelope.id(of: sealed))
    #expect(try d.db.first("SELECT 1 AS one FROM envelopes WHERE id = $1", [envelope]) != nil)
    #expect(Data(sealed).range(of: Data("张三丰".utf8)) == nil)
    #expect(try test.person("boss").reveal(item.ref, reason: "核实", actor: nil).name == "张三丰")
  }

  @Test(
    "a wrong passphrase is refused, counted and journaled without its text; five in a row lock the custodian")
  func wrongPassphrase() throws {
    let item = try register()
    let (boss, _) = try boss()
    let wrong = [CustodianPassphrase(login: "boss", passphrase: "不是这个口令 wrong one")]
    for attempt in 1...5 {
      let error = expectRefusal(.refused) { () throws(DocketError) in
        try boss.reveal(item.ref, reason: "核实", custodians: wrong, actor: nil)
      }
      #expect(error?.description.contains("wrong") == true, "attempt \(attempt)")
    }
    let refused = try events("custodian_refused")
    #expect(refused.count == 5)
    #expect(refused.allSatisfy { !$0.payload.contains("不是这个口令") && $0.itemRef == item.ref })
    // Locked now: even the right passphrase is refused until the lock runs out.
    let locked = expectRefusal(.refused) { () throws(DocketError) in
      try boss.reveal(item.ref, reason: "核实", actor: nil)
    }
    #expect(locked?.description.contains("locked") == true)
    #expect(try d.keyStatus(actor: "admin").custodians.first { $0.login == "boss" }?.lockedUntil != nil)
    boss.now = { beijing("2021-10-08 12:16") }
    #expect(try boss.reveal(item.ref, reason: "核实", actor: nil).phone == "13800138000")
    #expect(try d.keyStatus(actor: "admin").custodians.first { $0.login == "boss" }?.failedAttempts == 0)
  }

  @Test("no passphrase, a leader who is not a custodian, and a handler are each refused on the record")
  func refusalsJournaled() throws {
    // In the handler's unit, so that the handler's own role may journal about it.
    let item = try scene.handling()
    let (boss, _) = try boss()
    expectRefusal(.refused) { () throws(DocketError) in
      try boss.reveal(
        item.ref, reason: "核实", custodians: [CustodianPassphrase(login: "boss", passphrase: "")], actor: nil)
    }
    // boss2 is a leader, but holds no wrap.
    let boss2 = try test.open(as: try test.personConninfo("boss2"))
    let notCustodian = expectRefusal(.refused) { () throws(DocketError) in
      try boss2.reveal(item.ref, reason: "核实", actor: nil)
    }
    #expect(notCustodian?.description.contains("not a custodian") == true)
    let handler = try test.open(as: try test.personConninfo("h1"))
    expectRefusal(.forbidden) { () throws(DocketError) in
      try handler.reveal(item.ref, reason: "核实", actor: nil)
    }
    let why = try events("custodian_refused").map { JournalEvent(name: $0.event, payload: $0.payload) }
    #expect(
      why == [
        .custodianRefused(custodian: "boss", act: "reveal", why: "no passphrase"),
        .custodianRefused(custodian: "boss2", act: "reveal", why: "not a custodian"),
        .custodianRefused(custodian: "h1", act: "reveal", why: "not permitted"),
      ])
    #expect(try events("identity_revealed").isEmpty)
  }

  @Test(
    "with a reveal quorum of 2 one custodian alone is refused, two together succeed, and the journal names both"
  )
  func quorumOfTwo() throws {
    let item = try register()
    let (boss, _) = try boss(with: "boss2")
    let keeper = try test.person(TestDocket.keeper)
    let before = try d.keyStatus(actor: "admin")
    let rotation = try keeper.setRevealQuorum(2, unlockedBy: try keeper.testCustodians(nil), actor: nil)
    #expect(rotation.revealQuorum == 2 && rotation.from == before.fingerprint && rotation.to != rotation.from)
    #expect(rotation.destroyed == [before.fingerprint])
    let status = try d.keyStatus(actor: "admin")
    // Three custodians, three pairs, no single wraps.
    #expect(
      status.wraps.map(\.custodians) == [["boss", "boss2"], ["boss", "keeper"], ["boss2", "keeper"]])

    let alone = expectRefusal(.refused) { () throws(DocketError) in
      try boss.reveal(item.ref, reason: "核实", actor: nil)
    }
    #expect(alone?.description.contains("--with") == true)
    #expect(try boss.reveal(item.ref, reason: "约谈前核实", actor: nil, with: "boss2").name == "张三丰")
    let revealed = try events("identity_revealed").map { JournalEvent(name: $0.event, payload: $0.payload) }
    #expect(revealed == [.identityRevealed(reason: "约谈前核实", with: "boss2")])
    // A new custodian at quorum 2 is wrapped with each of the others.
    _ = try d.addStaff(login: "boss3", name: "第三领导", roles: [.leader], unit: nil, actor: "admin")
    boss.passphraseCost = TestDocket.cheap
    try boss.addCustodian(
      "boss3", passphrase: "第三位的口令 third", unlockedBy: try boss.testCustodians(nil, "boss2"), actor: nil)
    #expect(try d.keyStatus(actor: "admin").wraps.filter { $0.custodians.contains("boss3") }.count == 3)
  }

  @Test("the last custodian cannot be removed; a removed one's passphrase opens nothing")
  func removeCustodian() throws {
    let item = try register()
    let (boss, _) = try boss()
    let keeper = try test.person(TestDocket.keeper)
    try keeper.removeCustodian("boss", actor: nil)
    let removed = expectRefusal(.refused) { () throws(DocketError) in
      try boss.reveal(item.ref, reason: "核实", actor: nil)
    }
    #expect(removed?.description.contains("not a custodian") == true)
    let last = expectRefusal(.refused) { () throws(DocketError) in
      try keeper.removeCustodian("keeper", actor: nil)
    }
    #expect(last?.description.contains("last custodian") == true)
  }

  @Test("a custodian's new passphrase opens, the old one no longer does")
  func changePassphrase() throws {
    let item = try register()
    let (boss, _) = try boss()
    boss.passphraseCost = TestDocket.cheap
    try boss.changePassphrase(old: TestDocket.passphrase, new: "新的口令 new passphrase", actor: nil)
    expectRefusal(.refused) { () throws(DocketError) in try boss.reveal(item.ref, reason: "核实", actor: nil) }
    let given = [CustodianPassphrase(login: "boss", passphrase: "新的口令 new passphrase")]
    #expect(try boss.reveal(item.ref, reason: "核实", custodians: given, actor: nil).name == "张三丰")
    expectRefusal(.invalid) { () throws(DocketError) in
      try boss.changePassphrase(old: "新的口令 new passphrase", new: "short", actor: nil)
    }
  }

  @Test(
    "a rotation moves every envelope to a new key, destroys the old key's wraps, and everything still opens")
  func rotate() throws {
    let first = try register()
    let (boss, given) = try boss()
    let old = try d.keyStatus(actor: "admin").fingerprint
    let rotation = try boss.rotateOfficeKey(unlockedBy: given, actor: nil)
    #expect(rotation.from == old && rotation.to != old && rotation.envelopes >= 1 && !rotation.resumed)
    #expect(rotation.destroyed == [old])
    #expect(
      try d.db.first(
        "SELECT count(*) AS n FROM office_key_wraps w JOIN office_keys k ON k.id = w.key_id WHERE k.fingerprint = $1",
        [old!])!.decode("n", as: Int.self) == 0)
    let second = try register()
    #expect(try boss.reveal(first.ref, reason: "核实", actor: nil).name == "张三丰")
    #expect(try boss.reveal(second.ref, reason: "核实", actor: nil).email == "zhangsanfeng@example.cn")
    #expect(try events("office_key_rotated").count == 1 && events("office_key_destroyed").count == 1)
  }

  @Test("a rotation that stops halfway loses nothing, and running it again finishes it")
  func resumedRotation() throws {
    let items = try (0..<3).map { index in
      try d.intake(Office.call(at: beijing("2021-09-28 09:0\(index)"), name: "举报人\(index)"), actor: "reg")
    }
    let (boss, given) = try boss()
    let old = try #require(try d.keyStatus(actor: "admin").fingerprint)
    // The second batch's statement fails, as a crash or a lost connection would stop it.
    try d.db.run(
      script: """
        CREATE SEQUENCE rotation_batches;
        CREATE FUNCTION stop_second_batch() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('rotation_batches') = 2 THEN RAISE EXCEPTION 'the machine stopped'; END IF;
          RETURN NULL;
        END $$;
        CREATE TRIGGER stop_second_batch AFTER UPDATE ON envelopes FOR EACH STATEMENT
          EXECUTE FUNCTION stop_second_batch();
        """)
    boss.rotationBatch = 1
    #expect(throws: DocketError.self) { try boss.rotateOfficeKey(unlockedBy: given, actor: nil) }
    try d.db.run(script: "DROP TRIGGER stop_second_batch ON envelopes; DROP FUNCTION stop_second_batch()")
    let halfway = try d.keyStatus(actor: "admin")
    #expect(halfway.fingerprint != old)
    #expect(halfway.retired.map(\.fingerprint) == [old])
    #expect(halfway.retired.first?.envelopes ?? 0 >= 1)
    // Everything still opens meanwhile: the old key's wraps are kept until nothing is sealed to it.
    for item in items {
      #expect(try boss.reveal(item.ref, reason: "核实", actor: nil).name?.hasPrefix("举报人") == true)
    }
    let finished = try boss.rotateOfficeKey(unlockedBy: given, actor: nil)
    #expect(finished.resumed && finished.from == old && finished.to == halfway.fingerprint)
    #expect(finished.destroyed == [old])
    #expect(try d.keyStatus(actor: "admin").retired.isEmpty)
    for item in items {
      #expect(try boss.reveal(item.ref, reason: "核实", actor: nil).name?.hasPrefix("举报人") == true)
    }
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test("intake refuses to seal to a key other than the one pinned on its machine")
  func pinnedFingerprint() throws {
    let fingerprint = try #require(try d.keyStatus(actor: "admin").fingerprint)
    let pin = URL(fileURLWithPath: try #require(test.environment["DOCKET_OFFICE_KEY_PIN"]))
    defer { try? FileManager.default.removeItem(at: pin) }
    try "\(fingerprint)\n".write(to: pin, atomically: true, encoding: .utf8)
    _ = try register()
    try "# the office key\n0123456789abcdef\n".write(to: pin, atomically: true, encoding: .utf8)
    let error = expectRefusal(.sealing) { () throws(DocketError) in
      try d.intake(Office.call(at: beijing("2021-09-28 10:00")), actor: "reg")
    }
    #expect(error?.description.contains("pinned") == true)
    // Anonymous items seal nothing, so they need no key.
    _ = try d.intake(Office.call(at: beijing("2021-09-28 11:00"), name: nil, phone: nil), actor: "reg")
  }
}

/// A database as docket before 0018 left it: identities and messages sealed with the symmetric key
/// file. `db migrate` re-seals them to the office key once, and the file opens nothing after.
@Suite("Upgrade from the key file of an older docket")
struct SealingUpgradeTests {
  /// What docket before 0018 stored: format 1, AES-GCM under a key HKDF made from the file's secret.
  static func oldSeal(_ plain: [UInt8], context: String, secret: SymmetricKey) throws -> [UInt8] {
    let key = HKDF<SHA256>.deriveKey(
      inputKeyMaterial: secret, salt: Data("docket".utf8), info: Data("identity sealing v1".utf8),
      outputByteCount: 32)
    return [1] + Array(try AES.GCM.seal(plain, using: key, authenticating: Data(context.utf8)).combined!)
  }

  @Test("every identity and message is re-sealed, match hashes keep matching, and the old key is forgotten")
  func upgrade() throws {
    let test = try TestDocket.make("upgrade")
    let d = test.docket
    try Office.staff(d)
    let item = try d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")

    // Turn the database into an older docket's: the identity sealed with a key file, its id in settings.
    let file = KeyFile(
      url: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("upgrade-\(UUID()).key"))
    defer { try? FileManager.default.removeItem(at: file.url) }
    let vault = try file.create()
    let secret = try Self.secret(file)
    let identity = try JSONEncoder().encode(ReporterIdentity(name: "张三丰", phone: "13800138000"))
    let old = try Self.oldSeal(Array(identity), context: "docket-identity-v1|\(item.ref)", secret: secret)
    try d.db.query(
      "UPDATE items SET reporter_sealed = $1, reporter_match = $2::bytea[] WHERE id = $3",
      [
        old,
        ByteaArray(
          MatchingKey(bytes: vault.matchingKeyBytes).matchHashes(
            ReporterIdentity(name: "张三丰", phone: "13800138000"))), item.id,
      ])
    try d.db.query("DELETE FROM matching_key")
    try d.db.query("INSERT INTO settings (key, value) VALUES ('identity_key_id', $1)", [vault.keyID])

    let boss = try test.person("boss")
    let waiting = expectRefusal(.refused) { () throws(DocketError) in
      try boss.reveal(item.ref, reason: "核实", actor: nil)
    }
    #expect(waiting?.description.contains("db migrate") == true)
    #expect(try d.keyStatus(actor: "admin").awaitingUpgrade == 1)

    let upgrade = try d.upgradeSealing(keyFile: file, custodian: nil)
    #expect(upgrade.identities == 1 && upgrade.oldKeyID == vault.keyID)
    #expect(try d.sealingUpgradePending() == nil)
    #expect(try boss.reveal(item.ref, reason: "核实", actor: nil).phone == "13800138000")
    // The old file's matching key is the database's now: a later call from the same phone matches.
    let later = try d.intake(Office.call(at: beijing("2021-09-29 09:00")), actor: "reg")
    let overlap: Bool = try d.db.first(
      "SELECT a.reporter_match && b.reporter_match AS o FROM items a, items b WHERE a.id = $1 AND b.id = $2",
      [item.id, later.id])!.decode("o")
    #expect(overlap)
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  static func secret(_ file: KeyFile) throws -> SymmetricKey {
    let text = try String(contentsOf: file.url, encoding: .utf8)
    let line = try #require(text.split(separator: "\n").first { !$0.hasPrefix("#") && !$0.isEmpty })
    return SymmetricKey(data: try #require(Data(base64Encoded: String(line))))
  }
}
