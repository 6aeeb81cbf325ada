import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

@Suite("PBKDF2-HMAC-SHA256, the slow hash of receipt codes")
struct PBKDF2Tests {
  static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

  @Test(
    "matches the published test vectors",
    arguments: [
      // RFC 7914, section 11 (both vectors of PBKDF2-HMAC-SHA256).
      (
        "passwd", "salt", 1, 64,
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
      ),
      (
        "Password", "NaCl", 80000, 64,
        "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"
      ),
      // The RFC 6070 inputs with SHA-256, as commonly published; the last spans two blocks.
      ("password", "salt", 1, 32, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"),
      ("password", "salt", 2, 32, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"),
      ("password", "salt", 4096, 32, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"),
      (
        "passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 40,
        "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"
      ),
    ])
  func vectors(_ password: String, _ salt: String, _ iterations: Int, _ length: Int, _ expected: String) {
    let derived = PBKDF2.sha256(
      password: Array(password.utf8), salt: Array(salt.utf8), iterations: iterations, length: length)
    #expect(Self.hex(derived) == expected)
  }
}

@Suite("Receipt codes: anonymous follow-up of a report from the public")
struct ReceiptTests {
  /// A phone accusation from the public, anonymous, received 2021-09-28 09:00.
  static func anonymousCall(_ subject: String = "反映某所长违规收费") -> IntakeRequest {
    Office.call(subject: subject, at: beijing("2021-09-28 09:00"), name: nil, phone: nil)
  }

  /// Registers `request` and returns the item and its code, which it must have.
  static func registered(_ scene: Scene, _ request: IntakeRequest = anonymousCall()) throws -> (
    Item, ReceiptCode
  ) {
    let registration = try scene.d.intakeWithReceipt(request, actor: "reg")
    return (registration.item, try #require(registration.receiptCode))
  }

  /// A code with the same selector as `code` and another verifier.
  static func wrongVerifier(_ code: ReceiptCode) -> ReceiptCode {
    let last = code.verifier.last == "0" ? "1" : "0"
    return ReceiptCode(selector: code.selector, verifier: String(code.verifier.dropLast()) + last)
  }

  /// A journal event's payload as a map (it may also carry `entered_by` when an administrator acts
  /// on someone's behalf).
  static func details(_ payload: String?) -> [String: String] {
    (try? JSONDecoder().decode([String: String].self, from: Data((payload ?? "").utf8))) ?? [:]
  }

  /// A code whose selector no receipt has.
  static func unknownSelector(_ scene: Scene) throws -> ReceiptCode {
    while true {
      let code = ReceiptCode.random()
      let taken = try scene.d.db.first("SELECT 1 AS one FROM receipts WHERE selector = $1", [code.selector])
      if taken == nil { return code }
    }
  }

  @Test("a public phone item gets a code, and the lookup follows it from receipt to closure")
  func lifecycle() throws {
    let scene = try Scene.make("receiptlife")
    let d = scene.d
    let (item, code) = try Self.registered(scene)
    #expect(code.grouped.count == 24)
    #expect(code.grouped.split(separator: "-").map(\.count) == [4, 4, 4, 4, 4])

    func status(_ login: String = "reg") throws -> PublicStatus {
      try d.receiptStatus(code.grouped, actor: login)
    }
    #expect(try status() == PublicStatus(state: .received, receivedOn: "2021-09-28", note: nil))
    _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    #expect(try status().state == .accepted)
    _ = try d.assign(
      item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    #expect(try status().state == .inProgress)
    _ = try d.start(item.ref, actor: "h1", .init(at: beijing("2021-09-30 10:00")))
    _ = try d.dispose(
      item.ref, disposal: .preliminaryVerification, approve: true, actor: "boss",
      .init(at: beijing("2021-10-08 10:00")))
    #expect(try status().state == .inProgress)
    _ = try d.conclude(
      item.ref, finding: .partlySubstantiated, actor: "h1", .init(at: beijing("2021-11-01 10:00")))
    // Concluded but not yet closed: still in progress for the public.
    #expect(try status().state == .inProgress)
    _ = try d.close(item.ref, actor: "cm", .init(at: beijing("2021-11-30 23:30")))
    // Any active staff member may look up on the reporter's behalf; the code is read in any spelling.
    for login in ["reg", "h1", "h2", "boss", "cm", "aud", "admin"] {
      #expect(try status(login) == PublicStatus(state: .closed, receivedOn: "2021-09-28", note: nil))
    }
    #expect(try d.receiptStatus(code.selector + code.verifier, actor: "reg").state == .closed)

    // Each lookup is journaled against the item, with the state shown and without the code.
    let events = try scene.reload(item.ref).events.filter { $0.event == "receipt_status_checked" }
    #expect(events.count == 13)
    #expect(Self.details(events.last?.payload)["shown"] == "closed")
    #expect(Set(events.map(\.actor)) == ["reg", "h1", "h2", "boss", "cm", "aud", "admin"])
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test("not accepted, forwarded and duplicate items show their own public word")
  func otherOutcomes() throws {
    let scene = try Scene.make("receiptoutcomes")
    let d = scene.d
    let at = MoveOptions(at: beijing("2021-09-28 10:00"))
    let (refused, refusedCode) = try Self.registered(scene, Self.anonymousCall("甲"))
    _ = try d.notAccept(refused.ref, reason: "不属于受理范围", actor: "reg", at)
    #expect(try d.receiptStatus(refusedCode.grouped, actor: "reg").state == .notAccepted)

    let (forwarded, forwardedCode) = try Self.registered(scene, Self.anonymousCall("乙"))
    _ = try d.forward(forwarded.ref, to: "雷州市信访局", actor: "reg", at)
    let shown = try d.receiptStatus(forwardedCode.grouped, actor: "reg")
    #expect(shown.state == .forwarded)
    #expect(shown.note == nil)

    // A duplicate is handled with its original, and shows the original's progress.
    let (original, _) = try Self.registered(scene, Self.anonymousCall("丙"))
    let (copy, copyCode) = try Self.registered(scene, Self.anonymousCall("丙"))
    _ = try d.markDuplicate(copy.ref, of: original.ref, actor: "reg", at)
    #expect(try d.receiptStatus(copyCode.grouped, actor: "reg").state == .received)
    _ = try d.accept(original.ref, actor: "reg", .init(at: beijing("2021-09-28 11:00")))
    #expect(try d.receiptStatus(copyCode.grouped, actor: "reg").state == .accepted)
  }

  @Test("a wrong verifier and an unknown selector get the same sentence, exit code and (slow) work")
  func indistinguishable() throws {
    let scene = try Scene.make("receiptsame")
    let d = scene.d
    let (_, code) = try Self.registered(scene)
    func timedFailure(_ text: String) -> (DocketError?, TimeInterval) {
      let start = Date()
      let error = expectRefusal(.notFound) { () throws(DocketError) in try d.receiptStatus(text, actor: "reg")
      }
      return (error, Date().timeIntervalSince(start))
    }
    let (wrong, wrongTime) = timedFailure(Self.wrongVerifier(code).grouped)
    let (unknown, unknownTime) = timedFailure(try Self.unknownSelector(scene).grouped)
    #expect(wrong?.description == unknown?.description)
    #expect(
      wrong?.description
        == "There is no item with this receipt code; check the 20 digits against the receipt and try again, or ask the office that took the report for a new code."
    )
    #expect(wrong?.isTemporary == false && unknown?.isTemporary == false)
    #expect(wrong?.isBadInput == false && unknown?.isBadInput == false)
    // Both ran the slow hash: neither is an order of magnitude quicker than the other.
    #expect(unknownTime > wrongTime / 4 && wrongTime > unknownTime / 4, "\(wrongTime) s vs \(unknownTime) s")
    // Both are counted, by selector only.
    let tried = try d.db.query("SELECT selector, actor FROM receipt_attempts ORDER BY id").map {
      try $0.decode("actor", as: String.self)
    }
    #expect(tried == ["reg", "reg"])
    // A code that is not a code at all is bad input, and says so without repeating it.
    let malformed = expectRefusal(.invalid) { () throws(DocketError) in
      try d.receiptStatus("4821-0937-5521", actor: "reg")
    }
    #expect(malformed?.description.contains("has 12 digits") == true)
    #expect(malformed?.description.contains("4821-0937-5521") == false)
  }

  @Test("after 5 failures the right code is refused too, until the window has passed")
  func rateLimitPerCode() throws {
    let scene = try Scene.make("receiptlimit", now: beijing("2021-10-01 09:00"))
    let d = scene.d
    let (_, code) = try Self.registered(scene)
    let wrong = Self.wrongVerifier(code).grouped
    // Four failures, then a success, which resets nothing: the fifth failure still counts.
    for _ in 0..<4 {
      expectRefusal(.notFound) { () throws(DocketError) in try d.receiptStatus(wrong, actor: "reg") }
    }
    #expect(try d.receiptStatus(code.grouped, actor: "reg").state == .received)
    d.now = { beijing("2021-10-01 09:05") }
    expectRefusal(.notFound) { () throws(DocketError) in try d.receiptStatus(wrong, actor: "reg") }

    let limited = expectRefusal(.temporary) { () throws(DocketError) in
      try d.receiptStatus(code.grouped, actor: "reg")
    }
    #expect(
      limited?.description
        == "Too many wrong receipt codes were tried in the last 15 minutes; try again in 15 minutes.")
    #expect(limited?.isTemporary == true)
    // The refusal comes before any hashing and is not itself counted, so waiting is enough.
    #expect(try d.db.first("SELECT count(*) AS n FROM receipt_attempts")?.decode("n", as: Int.self) == 5)
    // Another code is not held up by this one's failures.
    let (_, other) = try Self.registered(scene, Self.anonymousCall("另一件"))
    #expect(try d.receiptStatus(other.grouped, actor: "reg").state == .received)

    // 15 minutes after the first four failures only one remains in the window: the code works again.
    d.now = { beijing("2021-10-01 09:15:01") }
    #expect(try d.receiptStatus(code.grouped, actor: "reg").state == .received)
  }

  @Test("the overall limit counts failures of every code, known or not")
  func rateLimitOverall() throws {
    let scene = try Scene.make("receiptoverall", now: beijing("2021-10-01 09:00"))
    let d = scene.d
    let (_, code) = try Self.registered(scene)
    var limits = ReceiptLimits()
    limits.overall = 3
    for _ in 0..<3 {
      let guess = try Self.unknownSelector(scene).grouped
      expectRefusal(.notFound) { () throws(DocketError) in
        try d.receiptStatus(guess, actor: "aud", limits: limits)
      }
    }
    expectRefusal(.temporary) { () throws(DocketError) in
      try d.receiptStatus(code.grouped, actor: "reg", limits: limits)
    }
    d.now = { beijing("2021-10-01 09:15:01") }
    #expect(try d.receiptStatus(code.grouped, actor: "reg", limits: limits).state == .received)
  }

  @Test("the code is in no table and no journal event, in plain or as bytes")
  func noPlainCode() throws {
    let scene = try Scene.make("receiptplain")
    let d = scene.d
    let (item, code) = try Self.registered(scene)
    _ = try d.receiptStatus(code.grouped, actor: "reg")
    expectRefusal(.notFound) { () throws(DocketError) in
      try d.receiptStatus(Self.wrongVerifier(code).grouped, actor: "reg")
    }
    let reissued = try d.reissueReceipt(item.ref, actor: "reg")
    _ = try d.receiptStatus(reissued.grouped, actor: "reg")

    func hex(_ text: String) -> String { text.utf8.map { String(format: "%02x", $0) }.joined() }
    var secrets: [String] = []
    for code in [code, reissued] {
      let whole = code.selector + code.verifier
      secrets += [whole, code.grouped, code.verifier, hex(whole), hex(code.verifier)]
    }
    let tables = try d.db.query(
      """
      SELECT table_name::text AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1
      """
    ).map { try $0.decode("name", as: String.self) }
    #expect(tables.contains("receipts"))
    var sawSelector = false
    for table in tables {
      for row in try d.db.query("SELECT t::text AS row FROM \"\(table)\" t") {
        let text = try row.decode("row", as: String.self).lowercased()
        sawSelector = sawSelector || text.contains(reissued.selector)
        for secret in secrets { #expect(!text.contains(secret), "\(table) holds a receipt code") }
      }
    }
    // The selector is stored in plain by design; the inspection did see the receipts.
    #expect(sawSelector)
    let stored = try #require(
      try d.db.first("SELECT salt, verifier_hash, iterations FROM receipts WHERE item_id = $1", [item.id]))
    #expect(try stored.decode("salt", as: [UInt8].self).count == 16)
    #expect(try stored.decode("verifier_hash", as: [UInt8].self).count == 32)
    #expect(try stored.decode("iterations", as: Int.self) >= 100_000)
  }

  @Test("items not from the public, or by email, get no code; reissuing is for items from the public")
  func whoGetsACode() throws {
    let scene = try Scene.make("receiptwho")
    let d = scene.d
    var handedOver = Self.anonymousCall("巡察移交线索")
    handedOver.source = .inspection
    let inspection = try d.intakeWithReceipt(handedOver, actor: "reg")
    #expect(inspection.receiptCode == nil)
    var mailed = Self.anonymousCall("邮件举报")
    mailed.channel = .email
    let email = try d.intakeWithReceipt(mailed, actor: "reg")
    #expect(email.receiptCode == nil)
    for channel in [Channel.letter, .visit, .online] {
      var request = Self.anonymousCall("\(channel.rawValue)举报")
      request.channel = channel
      #expect(try d.intakeWithReceipt(request, actor: "reg").receiptCode != nil, "\(channel)")
    }
    #expect(try d.db.first("SELECT count(*) AS n FROM receipts")?.decode("n", as: Int.self) == 3)

    let refused = expectRefusal(.refused) { () throws(DocketError) in
      try d.reissueReceipt(inspection.item.ref, actor: "reg")
    }
    #expect(refused?.description.contains("not from the public") == true)
    // An email report from the public may be given a code later, by whoever answers the reporter.
    let late = try d.reissueReceipt(email.item.ref, actor: "reg")
    #expect(try d.receiptStatus(late.grouped, actor: "reg").state == .received)
    let reissued = try scene.reload(email.item.ref).events.first { $0.event == "receipt_reissued" }
    #expect(Self.details(reissued?.payload)["replaced"] == "false")
  }

  @Test("reissuing makes the old code unknown and the new one work, keeping the public note")
  func reissue() throws {
    let scene = try Scene.make("receiptreissue")
    let d = scene.d
    let (item, old) = try Self.registered(scene)
    try d.setPublicNote(item.ref, note: "  您反映的问题已转有关部门核查。 ", actor: "reg")
    expectRefusal(.forbidden) { () throws(DocketError) in try d.reissueReceipt(item.ref, actor: "h1") }
    expectRefusal(.forbidden) { () throws(DocketError) in try d.reissueReceipt(item.ref, actor: "aud") }
    let new = try d.reissueReceipt(item.ref, actor: "reg")
    #expect(new != old)
    let gone = expectRefusal(.notFound) { () throws(DocketError) in
      try d.receiptStatus(old.grouped, actor: "reg")
    }
    #expect(gone?.description.hasPrefix("There is no item with this receipt code") == true)
    #expect(
      try d.receiptStatus(new.grouped, actor: "reg")
        == PublicStatus(state: .received, receivedOn: "2021-09-28", note: "您反映的问题已转有关部门核查。"))
    let events = try scene.reload(item.ref).events
    #expect(
      events.map(\.event) == ["registered", "public_note_set", "receipt_reissued", "receipt_status_checked"])
    #expect(Self.details(events[2].payload)["replaced"] == "true")
    #expect(events[2].actor == "reg")
    #expect(events.allSatisfy { !$0.payload.contains(new.verifier) && !$0.payload.contains(old.verifier) })
  }

  @Test("the public note is set by registrars, shown by the lookup and cleared")
  func publicNote() throws {
    let scene = try Scene.make("receiptnote")
    let d = scene.d
    let (item, code) = try Self.registered(scene)
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.setPublicNote(item.ref, note: "已办结", actor: "h1")
    }
    try d.setPublicNote(item.ref, note: "经核查，反映的问题部分属实，已依规依纪处理。", actor: "boss")
    #expect(try d.receiptStatus(code.grouped, actor: "reg").note == "经核查，反映的问题部分属实，已依规依纪处理。")
    try d.setPublicNote(item.ref, note: nil, actor: "reg")
    #expect(try d.receiptStatus(code.grouped, actor: "reg").note == nil)
    let events = try scene.reload(item.ref).events.map(\.event)
    #expect(events.contains("public_note_set") && events.contains("public_note_cleared"))

    var handedOver = Self.anonymousCall("巡察移交线索")
    handedOver.source = .inspection
    let inspection = try d.intake(handedOver, actor: "reg")
    expectRefusal(.refused) { () throws(DocketError) in
      try d.setPublicNote(inspection.ref, note: "x", actor: "reg")
    }
    var mailed = Self.anonymousCall("邮件举报")
    mailed.channel = .email
    let email = try d.intake(mailed, actor: "reg")
    let none = expectRefusal(.refused) { () throws(DocketError) in
      try d.setPublicNote(email.ref, note: "x", actor: "reg")
    }
    #expect(none?.description.contains("docket receipt reissue \(email.ref)") == true)
  }
}
