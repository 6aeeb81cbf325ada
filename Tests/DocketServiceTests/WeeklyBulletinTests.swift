import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("The weekly bulletin")
struct WeeklyBulletinTests {
  @Test("a week's intake, closures and the items that turned amber or red, for ISO week 2021-W47")
  func week() throws {
    let scene = try Scene.make("weekly", now: beijing("2021-12-15 12:00"))
    // Received during the week (Monday 22 to Sunday 28 November).
    let x = try scene.register(Office.call(subject: "甲", kind: .accusation, at: beijing("2021-11-22 09:00")))
    let y = try scene.register(Office.call(subject: "乙", kind: .suggestion, at: beijing("2021-11-24 09:00")))
    // Closed during the week.
    let z = try scene.register(Office.call(subject: "丙", kind: .clue, at: beijing("2021-10-20 09:00")))
    _ = try scene.d.accept(z.ref, actor: "reg", .init(at: beijing("2021-10-20 10:00")))
    _ = try scene.d.assign(
      z.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-10-21 10:00")))
    _ = try scene.d.start(z.ref, actor: "h1", .init(at: beijing("2021-10-21 11:00")))
    _ = try scene.d.dispose(
      z.ref, disposal: .closeOff, approve: true, actor: "boss", .init(at: beijing("2021-11-19 10:00")))
    _ = try scene.d.conclude(
      z.ref, finding: .unsubstantiated, actor: "h1", .init(at: beijing("2021-11-25 09:00")))
    _ = try scene.d.close(z.ref, actor: "cm", .init(at: beijing("2021-11-25 10:00")))
    // Accepted on 1 November; its reporter must be told by 22 November (amber as the week starts,
    // red by its end).
    let w = try scene.register(Office.call(subject: "丁", kind: .accusation, at: beijing("2021-11-01 09:00")))
    _ = try scene.d.accept(w.ref, actor: "reg", .init(at: beijing("2021-11-01 10:00")))

    let week = try scene.d.isoWeek("2021-W47")
    #expect(week.from == beijing("2021-11-22 00:00"))
    #expect(week.to == beijing("2021-11-29 00:00"))
    let bulletin = try scene.d.weeklyBulletin(from: week.from, to: week.to, actor: "aud")
    #expect(
      bulletin.intake.map { "\($0.channel.rawValue)/\($0.kind.rawValue)/\($0.received)" }.sorted()
        == ["phone/accusation/1", "phone/suggestion/1"])
    #expect(bulletin.closures.map { "\($0.unit ?? "-")/\($0.count)" } == ["第一纪检监察室/1"])
    #expect(bulletin.warnings.map(\.item.ref) == [w.ref, x.ref, y.ref])
    #expect(bulletin.warnings.map(\.clock.warning) == [.red, .amber, .amber])
    #expect(bulletin.warnings.first?.clock.clock == .acceptanceNotice)
    #expect(bulletin.warnings.first?.before == .amber)
    #expect(bulletin.warnings.map(\.before).dropFirst().allSatisfy { $0 == Warning.none })
    // Forwarding is due five working days after receipt: 29 November for 甲, 1 December for 乙.
    #expect(bulletin.warnings.dropFirst().map(\.clock.clock) == [.forward, .forward])
    // The closing is 第一纪检监察室's: its handler's bulletin counts it, another unit's does not.
    let first = try scene.d.weeklyBulletin(from: week.from, to: week.to, actor: "h1")
    #expect(first.closures.map { "\($0.unit ?? "-")/\($0.count)" } == ["第一纪检监察室/1"])
    #expect(try scene.d.weeklyBulletin(from: week.from, to: week.to, actor: "h2").closures.isEmpty)
  }

  @Test("a handler's bulletin is their unit's: its intake, its closures and its warnings only")
  func handlersUnit() throws {
    let scene = try Scene.make("weeklyunit", now: beijing("2021-12-15 12:00"))
    let ours = try scene.register(
      Office.call(subject: "甲", kind: .accusation, at: beijing("2021-11-22 09:00")))
    _ = try scene.register(Office.call(subject: "乙", kind: .suggestion, at: beijing("2021-11-24 09:00")))
    _ = try scene.d.accept(ours.ref, actor: "reg", .init(at: beijing("2021-11-22 10:00")))
    _ = try scene.d.assign(
      ours.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-11-23 10:00")))
    let week = try scene.d.isoWeek("2021-W47")

    let office = try scene.d.weeklyBulletin(from: week.from, to: week.to, actor: "aud")
    #expect(office.intake.map(\.received).reduce(0, +) == 2)
    let first = try scene.d.weeklyBulletin(from: week.from, to: week.to, actor: "h1")
    #expect(
      first.intake.map { "\($0.channel.rawValue)/\($0.kind.rawValue)/\($0.received)" } == [
        "phone/accusation/1"
      ])
    #expect(first.warnings.allSatisfy { $0.item.ref == ours.ref })
    let second = try scene.d.weeklyBulletin(from: week.from, to: week.to, actor: "h2")
    #expect(second.intake.isEmpty)
    #expect(second.closures.isEmpty)
    #expect(second.warnings.isEmpty)
  }

  @Test("ISO weeks: week 1 holds 4 January; 53 only in long years")
  func isoWeeks() throws {
    let scene = try Scene.make("isoweek")
    #expect(try scene.d.isoWeek("2021-W01").from == beijing("2021-01-04 00:00"))
    #expect(try scene.d.isoWeek("2020-W53").from == beijing("2020-12-28 00:00"))
    expectRefusal(.invalid) { () throws(DocketError) in try scene.d.isoWeek("2021-W53") }
    expectRefusal(.invalid) { () throws(DocketError) in try scene.d.isoWeek("2021-47") }
  }
}
