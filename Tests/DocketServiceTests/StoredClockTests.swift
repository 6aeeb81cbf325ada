import DocketCore
import DocketService
import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// The board and `list --warning` read clock facts stored beside each item; these tests hold them
/// to the answer a replay of the journal gives.
@Suite("Stored clock facts agree with the journal")
struct StoredClockTests {
  /// What a person reads off a board line.
  struct Line: Equatable, CustomStringConvertible {
    var ref: String
    var clock: DeadlineClock
    var due: CivilDate?
    var warning: Warning
    var overdue: Int
    var description: String { "\(ref) \(clock.rawValue) \(due?.description ?? "-") \(warning) \(overdue)" }
  }

  static let moments = ["2021-10-12 12:00", "2021-10-25 12:00", "2021-11-03 12:00", "2021-12-01 12:00"]

  /// The board at each moment, and every item with a running clock as `list --warning` sees it.
  func readings(_ scene: Scene) throws -> [[Line]] {
    try Self.moments.map { moment in
      let board = try scene.d.overdueBoard(asOf: beijing(moment), actor: "aud").map { line in
        Line(
          ref: line.item.ref, clock: line.clock.clock, due: line.clock.due, warning: line.clock.warning,
          overdue: line.workingDaysOverdue)
      }
      var query = LedgerQuery()
      query.warnings = [.blue, .amber, .red]
      query.asOf = beijing(moment)
      let listed = try scene.d.list(query, actor: "aud").map {
        Line(ref: $0.ref, clock: .forward, due: nil, warning: .none, overdue: 0)
      }
      return board + listed
    }
  }

  /// Items on hold (released and still held), an extended petition, a closed item awaiting
  /// feedback, a reopened one, and one never screened.
  func history() throws -> (Scene, [Item]) {
    let scene = try Scene.make("stored", now: beijing("2021-12-01 12:00"))
    let released = try scene.handling(.clue, subject: "线索甲")
    _ = try scene.d.hold(
      released.ref, until: "2021-10-20", actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    _ = try scene.d.resume(released.ref, actor: "h1", .init(at: beijing("2021-10-15 10:00")))
    let held = try scene.handling(.accusation, subject: "反映乙")
    _ = try scene.d.hold(held.ref, until: "2021-12-20", actor: "h1", .init(at: beijing("2021-10-20 10:00")))
    var request = Office.call(subject: "反映拖欠工资", kind: .petition, at: beijing("2021-07-30 09:00"))
    request.accused = []
    let petition = try scene.register(request)
    _ = try scene.d.accept(petition.ref, actor: "reg", .init(at: beijing("2021-08-02 10:00")))
    _ = try scene.d.extendPetition(
      petition.ref, days: 30, reason: "情况复杂", actor: "boss", .init(at: beijing("2021-09-01 10:00")))
    let closed = try scene.handling(.clue, subject: "线索丙")
    _ = try scene.d.dispose(
      closed.ref, disposal: .closeOff, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    _ = try scene.d.conclude(
      closed.ref, finding: .unsubstantiated, actor: "h1", .init(at: beijing("2021-10-09 10:00")))
    _ = try scene.d.close(closed.ref, actor: "cm", .init(at: beijing("2021-10-11 10:00")))
    let reopened = try scene.handling(.clue, subject: "线索丁")
    _ = try scene.d.dispose(
      reopened.ref, disposal: .closeOff, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    _ = try scene.d.conclude(
      reopened.ref, finding: .unsubstantiated, actor: "h1", .init(at: beijing("2021-10-09 10:00")))
    _ = try scene.d.close(reopened.ref, actor: "cm", .init(at: beijing("2021-10-11 10:00")))
    _ = try scene.d.reopen(reopened.ref, reason: "新证据", actor: "boss", .init(at: beijing("2021-10-26 10:00")))
    let waiting = try scene.register(Office.call(subject: "戊", at: beijing("2021-10-20 09:00")))
    return (scene, [released, held, petition, closed, reopened, waiting])
  }

  @Test("the board and the warning list read the same from stored facts as from a replay, at any moment")
  func sameAsReplay() throws {
    let (scene, items) = try history()
    let stored = try readings(scene)
    // Each moment shows something, or the comparison proves little.
    #expect(stored.allSatisfy { !$0.isEmpty })
    #expect(Set(stored.joined().map(\.ref)).isSuperset(of: items.map(\.ref)))

    // As a database from before the facts were kept: none stored, so every item is replayed.
    let db = try Connection(conninfo: scene.test.conninfo)
    try db.query("UPDATE items SET clocks = '{}', holds = '{}', clocks_through = NULL")
    #expect(try readings(scene) == stored)

    // `db migrate` works them out again, its progress counted against how many there are to do.
    let reports = Reports()
    scene.d.progress = { reports.add($0) }
    _ = try scene.d.migrate()
    scene.d.progress = nil
    let deadlines = reports.all.filter { $0.work == "deadlines" }
    #expect(deadlines.last?.finished == true)
    #expect(deadlines.allSatisfy { $0.total == items.count }, "\(deadlines)")
    #expect(deadlines.last?.done == items.count)
    let unworked: Int = try db.first("SELECT count(*) AS n FROM items WHERE clocks_through IS NULL")!
      .decode("n")
    #expect(unworked == 0)
    let holds: Int = try db.first("SELECT sum(cardinality(holds))::integer AS n FROM items")!.decode("n")
    #expect(holds == 2)
    #expect(try readings(scene) == stored)
  }

  @Test("a new policy length applies to stored facts at once, with nothing rewritten")
  func policyChange() throws {
    let (scene, items) = try history()
    let waiting = items[5]
    func forwardDue() throws -> CivilDate? {
      try scene.d.overdueBoard(asOf: beijing("2021-11-10 12:00"), actor: "aud")
        .first { $0.item.ref == waiting.ref }?.clock.due
    }
    // Received Wednesday 10-20: five working days end Wednesday 10-27, ten end Wednesday 11-03.
    #expect(try forwardDue() == CivilDate("2021-10-27"))
    _ = try scene.d.setDeadline(.forward, length: 10, actor: "admin")
    #expect(try forwardDue() == CivilDate("2021-11-03"))
  }
}
