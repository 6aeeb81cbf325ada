import DocketCore
import DocketService
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("The journal is append-only and tamper-evident")
struct JournalTests {
  /// Some activity: the first administrator, the office key with its custodian and the office's staff
  /// (events 1–13), and an item taken to handling (events 14–17).
  func activity() throws -> Scene {
    let scene = try Scene.make("journal")
    _ = try scene.handling()
    return scene
  }

  /// A superuser session on the test database in which the journal's refusing triggers do not fire.
  func tamperer(_ scene: Scene) throws -> Connection {
    let connection = try Connection(conninfo: scene.test.conninfo)
    try connection.run(script: "SET session_replication_role = replica")
    return connection
  }

  @Test("after ordinary activity the whole chain verifies")
  func intact() throws {
    let scene = try activity()
    let result = try scene.d.verifyJournal(actor: "aud")
    #expect(result.isIntact)
    #expect(result.firstBroken == nil)
    #expect(result.checked == 17)
    let log = try scene.d.journalLog(ref: nil, actor: "aud")
    #expect(log.map(\.seq) == Array(1...17))
    #expect(log.first?.event == "staff_added")
    #expect(log.first?.actor == "system")
    #expect(zip(log, log.dropFirst()).allSatisfy { $0.hash == $1.previousHash })
  }

  @Test("an event changed behind the database's back is named by its number")
  func changedEvent() throws {
    let scene = try activity()
    let changed = try tamperer(scene).execute(
      count: #"UPDATE journal SET payload = '{"x":"y"}' WHERE seq = 3"#)
    #expect(changed == 1)
    let result = try scene.d.verifyJournal(actor: "aud")
    #expect(!result.isIntact)
    #expect(result.firstBroken?.seq == 3)
    #expect(result.firstBroken?.reason.contains("changed") == true)
    #expect(result.checked == 2)
  }

  @Test("a deleted last event is reported as missing")
  func deletedLastEvent() throws {
    let scene = try activity()
    let deleted = try tamperer(scene).execute(
      count: "DELETE FROM journal WHERE seq = (SELECT max(seq) FROM journal)")
    #expect(deleted == 1)
    let result = try scene.d.verifyJournal(actor: "aud")
    #expect(result.firstBroken?.seq == 17)
    #expect(result.firstBroken?.reason.contains("missing") == true)
  }

  @Test("a deleted event in the middle is reported as missing")
  func deletedMiddleEvent() throws {
    let scene = try activity()
    #expect(try tamperer(scene).execute(count: "DELETE FROM journal WHERE seq = 12") == 1)
    let result = try scene.d.verifyJournal(actor: "aud")
    #expect(result.firstBroken?.seq == 12)
    #expect(result.firstBroken?.reason.contains("missing") == true)
  }

  /// The activity's 17 events and `count` more, chained as the service chains them.
  func longJournal(_ count: Int) throws -> Scene {
    let scene = try activity()
    let connection = try tamperer(scene)
    let events = (0..<count).map { n in
      JournalRepository.NewEvent(
        itemID: nil, actor: "system", event: "note_added",
        effectiveAt: Date(timeIntervalSince1970: 1_600_000_000),
        payload: #"{"n":\#(n)}"#)
    }
    try connection.transaction { () throws(DatabaseError) in
      _ = try JournalRepository(connection).append(events)
    }
    return scene
  }

  @Test("a journal of several pages verifies whole, and the first break is named wherever it falls")
  func severalPages() throws {
    let scene = try longJournal(12_000)
    #expect(try scene.d.verifyJournal(actor: "aud").checked == 12_017)
    let connection = try tamperer(scene)
    // A change deep in the third page, then a gap after it in the same page and one in the page before.
    #expect(try connection.execute(count: #"UPDATE journal SET payload = '{"n":-1}' WHERE seq = 10500"#) == 1)
    #expect(try connection.execute(count: "DELETE FROM journal WHERE seq = 10900") == 1)
    var result = try scene.d.verifyJournal(actor: "aud")
    #expect(result.firstBroken?.seq == 10500)
    #expect(result.firstBroken?.reason.contains("changed") == true)
    #expect(result.checked == 10499)
    #expect(try connection.execute(count: "DELETE FROM journal WHERE seq = 5001") == 1)
    result = try scene.d.verifyJournal(actor: "aud")
    #expect(result.firstBroken?.seq == 5001)
    #expect(result.firstBroken?.reason.contains("missing") == true)
    #expect(result.checked == 5000)
  }

  @Test("the database refuses UPDATE, DELETE and TRUNCATE on the journal")
  func databaseRefuses() throws {
    let scene = try activity()
    let connection = try Connection(conninfo: scene.test.conninfo)
    for statement in [
      #"UPDATE journal SET payload = '{"x":"y"}' WHERE seq = 3"#, "DELETE FROM journal WHERE seq = 17",
      "TRUNCATE journal CASCADE",
    ] {
      do {
        try connection.execute(count: statement)
        Issue.record("the database allowed: \(statement)")
      } catch {
        #expect(error.sqlState == "42501", "\(error)")
        #expect(error.message.contains("append-only"), "\(error)")
      }
    }
    #expect(try scene.d.verifyJournal(actor: "aud").isIntact)
    #expect(try scene.d.journalLog(ref: nil, actor: "aud").count == 17)
  }

  @Test("every role that sees every unit may read and verify the journal; a handler may not")
  func whoMayVerify() throws {
    let scene = try activity()
    for login in ["aud", "reg", "boss", "cm", "admin"] {
      #expect(try scene.d.verifyJournal(actor: login).isIntact)
    }
    // The whole journal crosses units; a handler reads their items' events with `show`.
    expectRefusal(.forbidden) { () throws(DocketError) in try scene.d.verifyJournal(actor: "h1") }
    expectRefusal(.forbidden) { () throws(DocketError) in try scene.d.journalLog(ref: nil, actor: "h1") }
  }
}
