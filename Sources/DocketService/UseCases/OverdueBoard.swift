import DocketCore
import DocketStore
import Foundation

/// One line of the overdue board (挂图作战): an open item whose worst running clock warns.
public struct BoardLine: Sendable {
  public var item: Item
  /// The running clock that is closest to, or furthest past, its due day.
  public var clock: ItemClock
  /// Working days past the due day; 0 when not yet due.
  public var workingDaysOverdue: Int
}

extension Docket {
  /// Open items with a warning, worst first within each responsible unit, as of `asOf` (default now).
  public func overdueBoard(asOf: Date? = nil, actor login: String?) throws(DocketError) -> [BoardLine] {
    try require(try actor(login), .readLedger, "read the overdue board")
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      var filter = ItemFilter()
      filter.states = ItemState.allCases.filter(\.isOpen)
      let items = try store { try ItemRepository(db).list(filter) }
      let engine = try clockEngine()
      let asOf = asOf ?? now()
      let today = office.time.civilDate(of: asOf)
      let journals = try store { try JournalRepository(db).entries(itemIDs: items.map(\.id)) }
      var lines: [BoardLine] = []
      for item in items {
        let running = clocks(of: item, events: journals[item.id] ?? [], engine: engine, asOf: asOf)
          .filter { $0.stoppedAt == nil && $0.warning != .none }
        // The worst clock: the highest warning, then the earliest due day.
        guard
          let worst = running.max(by: { a, b in
            a.warning != b.warning ? a.warning < b.warning : (a.due ?? today) > (b.due ?? today)
          }), let due = worst.due
        else { continue }
        let overdue = due < today ? (try? engine.calendar.workingDays(from: due, to: today)) ?? 0 : 0
        lines.append(BoardLine(item: item, clock: worst, workingDaysOverdue: overdue))
      }
      return lines.sorted { a, b in
        let unitA = a.item.unitName ?? ""
        let unitB = b.item.unitName ?? ""
        if unitA != unitB { return unitA < unitB }
        if a.clock.warning != b.clock.warning { return a.clock.warning > b.clock.warning }
        if a.workingDaysOverdue != b.workingDaysOverdue { return a.workingDaysOverdue > b.workingDaysOverdue }
        return a.item.ref < b.item.ref
      }
    }
  }
}
