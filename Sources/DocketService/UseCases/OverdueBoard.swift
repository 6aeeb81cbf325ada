import DocketCore
import DocketStore
import Foundation

/// One line of the overdue board (挂图作战): an open item whose worst running clock warns.
public struct BoardLine: Sendable {
  public var item: ItemSummary
  /// The running clock that is closest to, or furthest past, its due day.
  public var clock: ItemClock
  /// Working days past the due day; 0 when not yet due.
  public var workingDaysOverdue: Int
}

extension Docket {
  /// Open items with a warning, worst first within each responsible unit, as of `asOf` (default now).
  public func overdueBoard(asOf: Date? = nil, actor login: String?) throws(DocketError) -> [BoardLine] {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the overdue board")
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      let open = ItemState.allCases.filter(\.isOpen)
      let items = try store { try ItemRepository(db).summaries(states: open) }
      let stored = try store { try ClockRepository(db).running() }
      let engine = try clockEngine()
      let asOf = asOf ?? now()
      let today = office.time.civilDate(of: asOf)
      let clocks = try runningClocks(of: items, stored: stored, engine: engine, asOf: asOf)
      var lines: [BoardLine] = []
      for (item, clocks) in zip(items, clocks) where sees(item.unitID, actor) {
        let running = clocks.filter { $0.warning != .none }
        // The worst clock: the highest warning, then the earliest due day.
        guard
          let worst = running.max(by: { a, b in
            a.warning != b.warning ? a.warning < b.warning : a.due > b.due
          })
        else { continue }
        let overdue = worst.due < today ? engine.calendar.workingDays(from: worst.due, to: today) : 0
        lines.append(BoardLine(item: item, clock: worst, workingDaysOverdue: overdue))
      }
      // By unit name, worst warning, most days overdue, reference. The lines are large and the
      // board may hold every open item, so sort small keys and move each line once.
      let unitNames = Set(lines.map { $0.item.unitName ?? "" }).sorted()
      let unitRank = Dictionary(uniqueKeysWithValues: unitNames.enumerated().map { ($1, $0) })
      let keys = lines.map { line in
        (
          unit: unitRank[line.item.unitName ?? ""]!, warning: line.clock.warning,
          overdue: line.workingDaysOverdue
        )
      }
      let order = lines.indices.sorted { a, b in
        if keys[a].unit != keys[b].unit { return keys[a].unit < keys[b].unit }
        if keys[a].warning != keys[b].warning { return keys[a].warning > keys[b].warning }
        if keys[a].overdue != keys[b].overdue { return keys[a].overdue > keys[b].overdue }
        return lines[a].item.ref < lines[b].item.ref
      }
      return order.map { lines[$0] }
    }
  }
}
