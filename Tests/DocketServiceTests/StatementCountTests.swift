import DocketCore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// How many statements the commonest use cases send: each is a round trip to the server, and on a
/// busy office server the round trips are most of an intake's time.
@Suite("Round trips of the commonest use cases")
struct StatementCountTests {
  @Test("registering one phone item, with and without its receipt code")
  func intake() throws {
    let scene = try Scene.make("stmts")
    let d = scene.d
    // Warm: the first reads the actor, the key and the policy; the second prepares on the server the
    // statements it repeats (a round trip each, once per connection), as a web desk's connection has.
    _ = try d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    var before = d.db.statements
    _ = try d.intake(Office.call(at: beijing("2021-09-28 09:05")), actor: "reg")
    let preparing = d.db.statements - before
    before = d.db.statements
    _ = try d.intake(Office.call(at: beijing("2021-09-28 09:10")), actor: "reg")
    let plain = d.db.statements - before
    before = d.db.statements
    _ = try d.intakeWithReceipt(Office.call(at: beijing("2021-09-28 09:20")), actor: "reg")
    let withReceipt = d.db.statements - before
    print("statements: intake \(plain), with receipt \(withReceipt)")
    // 13: the actor, BEGIN, the reference number and id, units (for the accused), settings, the
    // policy with the calendar, the key-change lock and the envelope's row, the item's rows in one
    // statement, the journal's head with the count of policy changes, its events with the head
    // moved and the rollup, the item read back, COMMIT (24 before the tables' rows and the
    // journal's went one statement each, 16 before the rollup went with the events). A guard
    // against round trips creeping back.
    #expect(plain <= 13)
    #expect(withReceipt <= plain + 1)
    #expect(preparing <= 2 * plain)
  }
}
