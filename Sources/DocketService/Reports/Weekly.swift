import DocketCore
import DocketStore
import Foundation

/// An item whose worst running deadline warning rose to amber or red during the bulletin's period.
public struct WarningChange: Sendable {
  public var item: ItemSummary
  public var clock: ItemClock
  /// The item's worst warning at the start of the period.
  public var before: Warning
}

/// The weekly bulletin (周通报): what came in, what closed, and what turned amber or red.
public struct WeeklyBulletin: Sendable {
  public var from: Date
  /// The first instant after the period.
  public var to: Date
  public var timeZone: String
  public var intake: [(channel: Channel, kind: Kind, received: Int, duplicates: Int)]
  /// Closings in the period still standing at its end, by unit name (nil: never assigned).
  public var closures: [(unit: String?, count: Int)]
  /// Worst first, then by unit and reference.
  public var warnings: [WarningChange]
}

extension Docket {
  /// The bulletin for [from, to): intake by channel and kind, closures by unit, and the items whose
  /// worst warning rose to amber or red between `from` and `to`, each as of `to`.
  public func weeklyBulletin(from: Date, to: Date, actor login: String?) throws(DocketError) -> WeeklyBulletin
  {
    let actor = try actor(login)
    try require(actor, .readReports, "read reports")
    guard from < to else { throw .invalid("The bulletin's period must end after it starts.") }
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      let reports = ReportRepository(db)
      let unitNames = Dictionary(try store { try UnitRepository(db).all() }.map { ($0.id, $0.name) }) {
        a, _ in a
      }
      // A handler's bulletin is their unit's: its intake and its closures (0: a handler with no unit
      // sees none).
      let scope = Permissions.seesAllUnits(actor.roles) ? nil : actor.unitID ?? 0
      let intake = try store { try reports.intake(from: from, to: to, unitID: scope) }
      let closures = try store { try reports.closures(from: from, to: to, unitID: scope) }
        .map { (unit: $0.unitID.flatMap { unitNames[$0] }, count: $0.count) }
      let open = try store { try reports.openItems(at: to) }
      let items = try store { try ItemRepository(db).summaries(itemIDs: open) }
      let stored = try store { try ClockRepository(db).running(itemIDs: open) }
      let engine = try clockEngine()
      let atEnd = try runningClocks(of: items, stored: stored, engine: engine, asOf: to)
      let atStart = try runningClocks(of: items, stored: stored, engine: engine, asOf: from)
      var warnings: [WarningChange] = []
      for (index, item) in items.enumerated() where sees(item.unitID, actor) {
        // The worst clock: the highest warning, then the earliest due day.
        guard
          let worst = atEnd[index].max(by: { a, b in
            a.warning != b.warning ? a.warning < b.warning : a.due > b.due
          }), worst.warning >= .amber
        else { continue }
        // An item received during the period had no warning at its start.
        let before = item.receivedAt > from ? .none : atStart[index].map(\.warning).max() ?? .none
        guard before < worst.warning else { continue }
        warnings.append(WarningChange(item: item, clock: worst, before: before))
      }
      warnings.sort { a, b in
        if a.clock.warning != b.clock.warning { return a.clock.warning > b.clock.warning }
        if a.item.unitName != b.item.unitName {
          return (a.item.unitName ?? "\u{10FFFF}") < (b.item.unitName ?? "\u{10FFFF}")
        }
        return a.item.ref < b.item.ref
      }
      return WeeklyBulletin(
        from: from, to: to, timeZone: office.time.timeZone.identifier, intake: intake, closures: closures,
        warnings: warnings)
    }
  }

  /// The period a bulletin covers, as typed: an ISO week (`--week 2021-W47`), or a first and a
  /// last day, both included (`--from 2021-11-22 --to 2021-11-28`).
  public func bulletinPeriod(week: String?, from: String?, to: String?) throws(DocketError) -> (
    from: Date, to: Date
  ) {
    switch (week, from, to) {
    case (let week?, nil, nil): return try isoWeek(week)
    case (nil, let first?, let last?):
      let start = try day(first, option: "--from")!
      let end = try day(last, option: "--to")!
      guard start <= end else {
        throw .invalid("--from \(start) is after --to \(end); give the first day first.")
      }
      return (office.time.start(of: start), office.time.start(of: end.adding(days: 1)))
    default: throw .usage("Give either --week YYYY-Www, or both --from and --to.")
    }
  }

  /// The first instant of ISO week `text` (`2021-W47`, Monday) and of the week after, in the office.
  public func isoWeek(_ text: String) throws(DocketError) -> (from: Date, to: Date) {
    let parts = text.uppercased().split(separator: "-W")
    guard parts.count == 2, let year = Int(parts[0]), let week = Int(parts[1]), (1...53).contains(week),
      let january4 = CivilDate(year: year, month: 1, day: 4)
    else { throw .invalid("'\(text)' is not an ISO week; write YYYY-Www, for example 2021-W47.") }
    // Week 1 is the week with 4 January in it.
    let monday = january4.adding(days: 1 - january4.weekday + (week - 1) * 7)
    guard week < 53 || CivilDate(year: year, month: 12, day: 28)! >= monday else {
      throw .invalid("\(year) has no week 53.")
    }
    return (office.time.start(of: monday), office.time.start(of: monday.adding(days: 7)))
  }
}
