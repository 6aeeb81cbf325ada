import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// Staff on database roles of their own: the database authenticates them, docket maps each role to
/// a staff record, and row-level security keeps a handler to their unit's items even outside docket.
@Suite("Who may see and do what, on each person's own database role")
struct AccessControlTests {
  let scene: Scene
  var d: Docket { scene.d }
  /// Connection strings by login, each logging in as that person's own database role.
  var roles: [String: String] = [:]
  /// In 第一纪检监察室, 第二纪检监察室, and not yet assigned.
  let first: Item, second: Item, unassigned: Item

  init() throws {
    scene = try Scene.make("access", now: beijing("2021-10-08 12:00"))
    let test = scene.test
    roles["p.reg"] = try test.staffOnOwnRole("p.reg", name: "登记员乙", roles: [.registrar])
    roles["p.h1"] = try test.staffOnOwnRole(
      "p.h1", name: "承办甲", roles: [.handler], unit: "第一纪检监察室")
    roles["p.boss"] = try test.staffOnOwnRole("p.boss", name: "领导乙", roles: [.leader])
    try test.makeCustodian("p.boss")
    roles["p.cm"] = try test.staffOnOwnRole("p.cm", name: "案管乙", roles: [.caseOffice])
    roles["p.aud"] = try test.staffOnOwnRole("p.aud", name: "审计乙", roles: [.auditor])
    roles["p.admin"] = try test.staffOnOwnRole("p.admin", name: "管理员乙", roles: [.admin])
    roles["p.gone"] = try test.staffOnOwnRole("p.gone", name: "离职者", roles: [.leader])
    try scene.d.disableStaff(login: "p.gone", reason: "调离", actor: "admin")
    first = try scene.handling()
    let other = try scene.register(Office.call(subject: "反映某所长违规收费", at: beijing("2021-09-28 09:00")))
    _ = try scene.d.accept(other.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    second = try scene.d.assign(
      other.ref, unit: "第二纪检监察室", handler: "h2", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    unassigned = try scene.register(Office.call(subject: "反映某科长吃拿卡要", at: beijing("2021-09-28 11:00")))
  }

  func raw(_ login: String) throws -> Connection { try Connection(conninfo: roles[login]!) }

  func count(_ db: Connection, _ sql: String, _ parameters: [any SQLBindable] = []) throws -> Int {
    try db.first("SELECT count(*) AS n FROM (\(sql)) AS q", parameters)!.decode("n")
  }

  @Test("from a raw SQL session, a handler reads only their unit's items, accused, events and clocks")
  func handlerRowSecurity() throws {
    let db = try raw("p.h1")
    #expect(
      try db.query("SELECT ref FROM items ORDER BY ref").map { try $0.decode("ref") as String } == [first.ref]
    )
    #expect(try count(db, "SELECT * FROM accused") == 1)
    let eventItems = Set(
      try db.query("SELECT item_id FROM journal").map { try $0.decode("item_id") as Int64 })
    #expect(eventItems == [first.id])
    #expect(try count(db, "SELECT * FROM items, unnest(clocks) WHERE id = $1", [first.id]) > 0)
    // A closing in another unit, as its refresh would record it: the handler does not see it.
    try scene.test.docket.db.query(
      "INSERT INTO item_closures (item_id, from_at, closed_at) VALUES ($1, now(), now())", [second.id])
    #expect(
      try count(scene.test.docket.db, "SELECT * FROM item_closures WHERE item_id = $1", [second.id]) == 1)
    #expect(try count(db, "SELECT * FROM item_closures WHERE item_id <> $1", [first.id]) == 0)
    // The report rollups hold every unit's counts; the handler reads their own unit's cells only.
    let owner = scene.test.docket.db
    let units = try owner.first("SELECT count(DISTINCT unit_id) AS n FROM report_rollup")!
    #expect(try units.decode("n", as: Int.self) >= 3)
    let unit = try #require(try owner.first("SELECT id FROM units WHERE name = '第一纪检监察室'"))
    let own = try unit.decode("id", as: Int.self)
    for table in ["report_rollup", "report_rollup_by_unit", "report_years"] {
      let seen = try db.query("SELECT DISTINCT unit_id FROM \(table)").map { try $0.decode("unit_id") as Int }
      #expect(seen == [own], "\(table)")
    }
    // Writing across units finds nothing to write, and is refused besides: it journals nothing.
    let across = #expect(throws: DatabaseError.self) {
      try db.execute(count: "UPDATE items SET subject = 'x' WHERE id = $1", [second.id])
    }
    #expect(across?.sqlState == SQLState.insufficientPrivilege)
    // Nobody deletes an item or its events, in their unit or not.
    let deletion = #expect(throws: DatabaseError.self) {
      try db.query("DELETE FROM items WHERE id = $1", [first.id])
    }
    #expect(deletion?.sqlState == SQLState.insufficientPrivilege)
    // And the journal refuses changes from anyone.
    let error = #expect(throws: DatabaseError.self) {
      try db.query("UPDATE journal SET actor = 'x' WHERE item_id = $1", [first.id])
    }
    #expect(error?.sqlState == SQLState.insufficientPrivilege)
  }

  @Test("from a raw SQL session, no staff role changes a ledger row without its journal event")
  func rawWritesRefused() throws {
    let handler = try raw("p.h1")
    for statement in [
      "UPDATE items SET state = 'concluded' WHERE id = \(first.id)",
      "UPDATE items SET clocks = '{}' WHERE id = \(first.id)",
      "INSERT INTO accused (item_id, position, name) VALUES (\(first.id), 9, '李某')",
      "UPDATE staff SET roles = roles || '{admin}' WHERE login = 'p.h1'",
    ] {
      let error = #expect(throws: DatabaseError.self, "\(statement)") { try handler.query(statement) }
      #expect(error?.sqlState == SQLState.insufficientPrivilege, "\(statement): \(String(describing: error))")
    }
    // A registrar, who sees every unit, fares no better with raw SQL; nor an administrator.
    for login in ["p.reg", "p.admin"] {
      let error = #expect(throws: DatabaseError.self) {
        try raw(login).query("UPDATE items SET subject = '改过的主题' WHERE id = \(second.id)")
      }
      #expect(error?.message.contains("without its journal event") == true, "\(String(describing: error))")
    }
    // Staff may not grant themselves roles even beside a journal event: that is an administrator's.
    let escalation = try handler.transaction { () throws(DatabaseError) in
      _ = try JournalRepository(handler).append(
        itemID: first.id, actor: "p.h1", event: "notified", effectiveAt: beijing("2021-10-01 09:00"),
        payload: JournalEvent.notified(note: nil).payload())
      return try handler.execute(count: "UPDATE staff SET roles = roles || '{admin}' WHERE login = 'p.h1'")
    }
    #expect(escalation == 0)
    let h1 = try #require(try scene.d.staff(actor: "admin").first { $0.login == "p.h1" })
    #expect(h1.roles == [.handler])
    #expect(try scene.reload(first.ref).item.state == .handling)
  }

  @Test("a row changed by raw SQL beside a made-up event is named by audit verify")
  func rawWriteBesideEventCaught() throws {
    let handler = try raw("p.h1")
    // What someone with docket's own code and the handler's login could do: append a plausible
    // event for their item (one that moves no clock), and in the same transaction set the item's
    // state by hand.
    try handler.transaction { () throws(DatabaseError) in
      _ = try JournalRepository(handler).append(
        itemID: first.id, actor: "p.h1", event: "public_note_set", effectiveAt: beijing("2021-10-01 09:00"),
        payload: JournalEvent.publicNoteSet(note: "已转有关部门").payload())
      try handler.query("UPDATE items SET state = 'concluded' WHERE id = $1", [first.id])
    }
    let verification = try scene.d.verifyJournal(actor: "aud")
    #expect(verification.firstBroken == nil)
    #expect(!verification.isIntact)
    #expect(
      verification.disagreements == [
        .init(ref: first.ref, field: "state", stored: "concluded", journal: "handling")
      ])
    // Its deadline clocks likewise: the running clock's start moved by hand, beside another event.
    try handler.transaction { () throws(DatabaseError) in
      _ = try JournalRepository(handler).append(
        itemID: first.id, actor: "p.h1", event: "public_note_set", effectiveAt: beijing("2021-10-02 09:00"),
        payload: JournalEvent.publicNoteSet(note: "已转有关部门").payload())
      try handler.query(
        """
        UPDATE items SET state = 'handling', clocks = (
          SELECT array_agg(ROW(c.clock, c.started_at + interval '20 days', c.stopped_at, c.extension_days)::clock_span)
          FROM unnest(clocks) AS c) WHERE id = $1
        """, [first.id])
    }
    let clocks = try scene.d.verifyJournal(actor: "aud").disagreements
    #expect(clocks.map(\.field) == ["clocks"] && clocks.first?.ref == first.ref, "\(clocks)")
  }

  @Test(
    "from a raw SQL session, registrars, leaders, the case office, auditors and administrators read every unit's items",
    arguments: ["p.reg", "p.boss", "p.cm", "p.aud", "p.admin"])
  func othersSeeEverything(_ login: String) throws {
    let db = try raw(login)
    #expect(try count(db, "SELECT * FROM items") == 3)
    #expect(try count(db, "SELECT * FROM accused") == 3)
    let all: Int = try scene.test.docket.db.first("SELECT count(*) AS n FROM journal")!.decode("n")
    #expect(try count(db, "SELECT * FROM journal") == all)
  }

  @Test("a role with no staff record, a disabled person's role, and a role outside docket read nothing")
  func nobodyReadsNothing() throws {
    let ghost = try Connection(conninfo: try scene.test.bareRole("ghost", enrolled: true))
    #expect(try count(ghost, "SELECT * FROM items") == 0)
    #expect(try count(ghost, "SELECT * FROM journal") == 0)
    #expect(try count(try raw("p.gone"), "SELECT * FROM items") == 0)
    let stranger = try Connection(conninfo: try scene.test.bareRole("stranger", enrolled: false))
    let error = #expect(throws: DatabaseError.self) { try stranger.query("SELECT count(*) FROM items") }
    #expect(error?.sqlState == SQLState.insufficientPrivilege)
  }

  @Test("docket refuses a database role mapped to nobody, and a disabled staff member, before anything")
  func unmappedAndDisabled() throws {
    let ghostInfo = try scene.test.bareRole("ghost2", enrolled: true)
    let ghost = try scene.test.open(as: ghostInfo)
    let error = expectRefusal(.refused) { () throws(DocketError) in try ghost.list(LedgerQuery(), actor: nil)
    }
    #expect(error?.description.contains("is not mapped to any staff member") == true)
    let gone = try scene.test.open(as: roles["p.gone"]!)
    let disabled = expectRefusal(.refused) { () throws(DocketError) in
      try gone.list(LedgerQuery(), actor: nil)
    }
    #expect(disabled?.description.contains("p.gone is no longer active") == true)
  }

  @Test("only an administrator may act on behalf of someone, and the journal records who entered it")
  func onBehalf() throws {
    let registrar = try scene.test.open(as: roles["p.reg"]!)
    let error = expectRefusal(.refused) { () throws(DocketError) in
      try registrar.intake(Office.call(at: beijing("2021-10-08 09:00")), actor: "boss")
    }
    #expect(error?.description.contains("only an administrator may act on behalf of boss") == true)
    // Their own login is no "on behalf".
    let own = try registrar.intake(Office.call(at: beijing("2021-10-08 09:00")), actor: "p.reg")
    #expect(try scene.reload(own.ref).events.last?.payload.contains("entered_by") == false)

    let admin = try scene.test.open(as: roles["p.admin"]!)
    let entered = try admin.intake(Office.call(at: beijing("2021-10-08 09:30")), actor: "reg")
    #expect(entered.registeredBy == "reg")
    let event = try #require(try scene.reload(entered.ref).events.last)
    #expect(event.actor == "reg")
    #expect(event.payload.contains("\"entered_by\":\"p.admin\""))
  }

  @Test("on their own role, a handler lists, shows and moves only their unit's items")
  func handlerThroughDocket() throws {
    let handler = try scene.test.open(as: roles["p.h1"]!)
    #expect(try handler.list(LedgerQuery(), actor: nil).map(\.ref) == [first.ref])
    var elsewhere = LedgerQuery()
    elsewhere.unit = "第二纪检监察室"
    #expect(try handler.list(elsewhere, actor: nil).isEmpty)
    let shown = expectRefusal(.notFound) { () throws(DocketError) in try handler.show(second.ref, actor: nil)
    }
    #expect(shown?.description == "There is no item \(second.ref).")
    expectRefusal(.notFound) { () throws(DocketError) in
      try handler.start(second.ref, actor: nil, .init(at: beijing("2021-10-08 10:00")))
    }
    let held = try handler.hold(
      first.ref, until: "2021-12-01", actor: nil, .init(at: beijing("2021-10-08 10:00")))
    #expect(held.state == .onHold)
    let resumed = try handler.resume(first.ref, actor: nil, .init(at: beijing("2021-10-08 11:00")))
    #expect(resumed.state == .handling)
    #expect(
      try handler.overdueBoard(asOf: beijing("2022-06-01 12:00"), actor: nil).allSatisfy {
        $0.item.ref == first.ref
      })
    expectRefusal(.forbidden) { () throws(DocketError) in try handler.verifyJournal(actor: nil) }
    let report = try handler.monthlyReport(
      MonthlyReportRequest(month: ReportMonth(year: 2021, month: 10)!), actor: nil)
    #expect(report.totals.cohortReceived == 1)
    #expect(report.scopeDescription == ["第一纪检监察室"])
  }

  @Test("on their own role, a registrar registers, imports a handover list and screens")
  func registrarThroughDocket() throws {
    let registrar = try scene.test.open(as: roles["p.reg"]!)
    let item = try registrar.intake(Office.call(at: beijing("2021-10-08 09:00")), actor: nil)
    #expect(item.registeredBy == "p.reg")
    var request = HandoverRequest(
      fileName: "移交清单.csv",
      bytes: handoverCSV([
        ["1", "2021-09-20", "张某", "13800138000", "信访", "涉警问题", "反映某派出所乱收费"],
        ["2", "2021-09-21", "", "", "信访", "其他", "反映某局长收受红包"],
      ]), handedOverBy: "省委第一巡视组")
    request.handoverDate = CivilDate("2021-09-25")
    let result = try registrar.importHandover(request, actor: nil)
    guard case .imported(let batch) = result.outcome else {
      Issue.record("not imported: \(result.outcome)")
      return
    }
    var query = LedgerQuery()
    query.batchID = batch
    #expect(try registrar.list(query, actor: nil).count == 2)
    _ = try registrar.accept(item.ref, actor: nil, .init(at: beijing("2021-10-08 10:00")))
    // Email too: the message sealed, its attachment stored once, a reply threaded, a non-message held.
    let first = try registrar.intakeEmail(
      mail(attachment: (name: "材料.pdf", bytes: Array("%PDF-1.4".utf8))), origin: "test",
      arrivedAt: beijing("2021-10-08 10:30"), actor: nil)
    guard case .registered(let ref) = first.outcome else {
      Issue.record("not registered: \(first.outcome)")
      return
    }
    let reply = try registrar.intakeEmail(
      mail(messageID: "<m2@example.com>", inReplyTo: "<m1@example.com>"), origin: "test",
      arrivedAt: beijing("2021-10-08 11:00"), actor: nil)
    #expect(reply.outcome == .reply(ref: ref))
    let junk = try registrar.intakeEmail(Array("not mail at all".utf8), origin: "test", actor: nil)
    guard case .quarantined(_, _, notMail: true, _) = junk.outcome else {
      Issue.record("not quarantined: \(junk.outcome)")
      return
    }
    #expect(try registrar.quarantined(actor: nil).count == 1)
    #expect(try registrar.show(ref, actor: nil).attachments.count == 1)
    #expect(try registrar.verifyJournal(actor: nil).firstBroken == nil)
  }

  @Test("a leader reveals on their own role; an administrator may not reveal on a leader's behalf")
  func revealInPerson() throws {
    let leader = try scene.test.open(as: roles["p.boss"]!)
    let identity = try leader.reveal(first.ref, reason: "核实举报人身份以便约谈", actor: nil)
    #expect(identity.name == "张三丰")
    let admin = try scene.test.open(as: roles["p.admin"]!)
    let error = expectRefusal(.refused) { () throws(DocketError) in
      try admin.reveal(first.ref, reason: "代为查看", actor: "p.boss")
    }
    #expect(
      error?.description.contains("p.admin may not reveal a reporter's identity on behalf of p.boss") == true)
    let reveals = try d.journalLog(ref: nil, reveals: true, actor: "aud")
    #expect(reveals.map(\.actor) == ["p.boss"])
    #expect(reveals.first?.payload.contains("核实举报人身份以便约谈") == true)
    #expect(reveals.first?.payload.contains("张三丰") == false)
  }

  @Test("an export with identities needs a leader and a reason, and journals each disclosure")
  func exportWithIdentity() throws {
    let leader = try scene.test.open(as: roles["p.boss"]!)
    let items = try leader.list(LedgerQuery(), actor: nil)
    let identities = try leader.revealForExport(items, reason: "移送司法机关", actor: nil)
    #expect(identities.count == 3)
    #expect(identities[second.id]?.phone == "13800138000")
    let disclosures = try d.journalLog(ref: nil, reveals: true, actor: "aud")
    #expect(disclosures.filter { $0.event == "identities_exported" }.count == 3)
    let handler = try scene.test.open(as: roles["p.h1"]!)
    expectRefusal(.forbidden) { () throws(DocketError) in
      try handler.revealForExport(try handler.list(LedgerQuery(), actor: nil), reason: "看看", actor: nil)
    }
    expectRefusal(.invalid) { () throws(DocketError) in
      try leader.revealForExport(items, reason: " ", actor: nil)
    }
  }
}
