import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// The clock engine for this office: the policy, the calendar and the warning thresholds.
  func clockEngine() throws(DocketError) -> ClockEngine { try clockEngineAndGeneration().engine }

  /// The clock engine, and the count of policy and calendar changes it was read at
  /// (``SettingsRepository/clockGeneration``).
  func clockEngineAndGeneration() throws(DocketError) -> (engine: ClockEngine, generation: String) {
    if let cached = transactionCache?.engine { return cached }
    let loaded = try loadClockEngine()
    transactionCache?.engine = loaded
    return loaded
  }

  private func loadClockEngine() throws(DocketError) -> (engine: ClockEngine, generation: String) {
    var settings = takeSettingsReadAtOpen() ?? [:]
    if settings.isEmpty { settings = try store { try SettingsRepository(db).all() } }
    let thresholds = WarningThresholds(
      blue: settings["warning_blue_working_days"].flatMap(Int.init) ?? WarningThresholds.standard.blue,
      amber: settings["warning_amber_working_days"].flatMap(Int.init) ?? WarningThresholds.standard.amber)
    let (rules, calendar) = try store { try PolicyRepository(db).rulesAndCalendar() }
    let engine = ClockEngine(rules: rules, calendar: calendar, office: office.time, thresholds: thresholds)
    return (engine, settings[SettingsRepository.clockGeneration] ?? "0")
  }

  /// An item's clocks as of `asOf`, from its journal.
  func clocks(of item: Item, events: [JournalEntry], engine: ClockEngine, asOf: Date) -> [ItemClock] {
    engine.clocks(
      for: ItemSummary(item).clockSubject, events: events.compactMap(Self.clockEvent), asOf: asOf)
  }

  /// The running clocks of many items as of `asOf`, in the order of `items`. Each item's stored
  /// facts are used when they hold at `asOf`; an item whose facts were worked out through a later
  /// event (a question about the past), or never, has its journal replayed, so the answer is the
  /// same either way.
  func runningClocks(
    of items: [ItemSummary], stored: [Int64: ClockFacts], engine: ClockEngine, asOf: Date
  ) throws(DocketError) -> [[ItemClock]] {
    var out: [[ItemClock]] = []
    out.reserveCapacity(items.count)
    var replay: [Int] = []
    for (index, item) in items.enumerated() {
      guard let through = item.clocksThrough, through <= asOf else {
        replay.append(index)
        out.append([])
        continue
      }
      // No row: every clock of the item has stopped.
      out.append(engine.clocks(stored[item.id] ?? ClockFacts(spans: [], holds: []), asOf: asOf))
    }
    if !replay.isEmpty {
      let journals = try store { try JournalRepository(db).entries(itemIDs: replay.map { items[$0].id }) }
      for index in replay {
        let events = (journals[items[index].id] ?? []).compactMap(Self.clockEvent)
        out[index] = engine.clocks(for: items[index].clockSubject, events: events, asOf: asOf)
          .filter { $0.stoppedAt == nil }
      }
    }
    return out
  }

  /// Works out an item's clock facts again from its whole journal and stores them; called in the
  /// transaction of every event recorded on the item, after the event.
  func refreshClocks(itemID: Int64, subject: ClockSubject) throws(DocketError) {
    let entries = try store { try JournalRepository(db).entries(itemID: itemID) }
    let worked = Self.work(itemID, subject, entries, engine: try clockEngine(), units: try unitIDs())
    try storeWorked([worked])
  }

  /// Stores what was worked out, and moves the report rollup by the difference between the items'
  /// old periods and their new ones.
  func storeWorked(_ worked: [ClockRepository.Worked]) throws(DocketError) {
    let reports = ReportRepository(db)
    let old = try store { try reports.items(ids: worked.map(\.itemID)) }
    var change: [RollupKey: Int] = [:]
    for entry in worked {
      guard var item = old[entry.itemID] else { continue }
      let before = item.rollup(in: office.time)
      item.periods = entry.periods
      for (key, count) in rollupChange(from: before, to: item.rollup(in: office.time)) {
        change[key, default: 0] += count
      }
    }
    try store { try ClockRepository(db).replace(worked) }
    try store { try reports.apply(change) }
  }

  /// Unit ids by name, for reading assignments from the journal.
  func unitIDs() throws(DocketError) -> [String: Int] {
    Dictionary(try store { try UnitRepository(db).all() }.map { ($0.name, $0.id) }) { a, _ in a }
  }

  /// Works out the clock facts of items that have none yet (registered before docket kept them),
  /// a batch per transaction; returns how many. Run by `db init` and `db migrate`.
  @discardableResult
  func workOutMissingClocks(batch: Int = 5_000) throws(DocketError) -> Int {
    var total = 0
    // Counted once for the progress line's ETA; items registered meanwhile are worked out as they
    // come, so the count may be passed.
    let expected = try store { try ClockRepository(db).unworkedCount() }
    while true {
      let done = try transaction { () throws(DocketError) -> Int in
        let ids = try store { try ClockRepository(db).unworked(limit: batch) }
        guard !ids.isEmpty else { return 0 }
        let items = try store { try ItemRepository(db).summaries(itemIDs: ids) }
        let journals = try store { try JournalRepository(db).entries(itemIDs: ids) }
        let engine = try clockEngine()
        let units = try unitIDs()
        let worked = items.map {
          Self.work($0.id, $0.clockSubject, journals[$0.id] ?? [], engine: engine, units: units)
        }
        try storeWorked(worked)
        return items.count
      }
      guard done > 0 else {
        if total > 0 {
          advance("deadlines", "items", done: total, total: max(expected, total), finished: true)
        }
        return total
      }
      total += done
      advance("deadlines", "items", done: total, total: max(expected, total))
    }
  }

  /// An item's clock facts and report periods, from its journal.
  static func work(
    _ itemID: Int64, _ subject: ClockSubject, _ journal: [JournalEntry], engine: ClockEngine,
    units: [String: Int]
  ) -> ClockRepository.Worked {
    let timeline = journal.compactMap { Self.timelineEvent($0, units: units) }
    let events = timeline.map(\.event)
    // Only events the clocks read count: a letter or a reveal recorded later changes nothing.
    let through = events.map(\.at).reduce(subject.receivedAt, max)
    return ClockRepository.Worked(
      itemID: itemID, facts: ClockFacts(subject: subject, events: events),
      periods: engine.timeline(for: subject, events: timeline), through: through)
  }

  /// Marks every item's clock facts and report periods as stale after a change of policy or
  /// calendar, in the caller's transaction; ``workOutMissingClocks(batch:)`` then redoes them.
  func invalidateClocks() throws(DocketError) {
    try store {
      try ClockRepository(db).markAllUnworked()
      try SettingsRepository(db).bumpClockGeneration()
    }
  }

  /// What a journal event means to the clocks.
  static func clockEvent(_ entry: JournalEntry) -> ClockEvent? {
    clockEvent(entry.content, at: entry.effectiveAt)
  }

  /// What a journal event means to reports: to the clocks, and which unit it assigned.
  static func timelineEvent(_ entry: JournalEntry, units: [String: Int]) -> TimelineEvent? {
    let content = entry.content
    guard let event = clockEvent(content, at: entry.effectiveAt) else { return nil }
    var assigned: Int?
    if case .moved(.assign, let record) = content { assigned = record.unit.flatMap { units[$0] } }
    return TimelineEvent(event, assignedUnit: assigned)
  }

  private static func clockEvent(_ content: JournalEvent, at: Date) -> ClockEvent? {
    switch content {
    case .notified: ClockEvent(.notified, at: at)
    case .feedbackGiven: ClockEvent(.feedbackGiven, at: at)
    case .extended(let days, _, _): ClockEvent(.extended(days: days), at: at)
    case .moved(let move, let record):
      ClockEvent(
        .move(move, from: record.from, to: record.to, disposalApproved: record.approved == true), at: at)
    default: nil
    }
  }
}
