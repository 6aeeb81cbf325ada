import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// The clock engine for this office: the policy, the calendar and the warning thresholds.
  func clockEngine() throws(DocketError) -> ClockEngine {
    let settings = try store { try SettingsRepository(db).all() }
    let thresholds = WarningThresholds(
      blue: settings["warning_blue_working_days"].flatMap(Int.init) ?? WarningThresholds.standard.blue,
      amber: settings["warning_amber_working_days"].flatMap(Int.init) ?? WarningThresholds.standard.amber)
    return ClockEngine(
      rules: try store { try PolicyRepository(db).rules() },
      calendar: try store { try CalendarRepository(db).load() },
      office: office.time, thresholds: thresholds)
  }

  /// An item's clocks as of `asOf`, from its journal.
  func clocks(of item: Item, events: [JournalEntry], engine: ClockEngine, asOf: Date) -> [ItemClock] {
    let subject = ClockSubject(
      kind: item.kind, source: item.source, reporterKind: item.reporterKind, receivedAt: item.receivedAt)
    return engine.clocks(for: subject, events: events.compactMap(Self.clockEvent), asOf: asOf)
  }

  /// What a journal event means to the clocks, read from its payload.
  static func clockEvent(_ entry: JournalEntry) -> ClockEvent? {
    let payload = (try? JSONDecoder().decode([String: String].self, from: Data(entry.payload.utf8))) ?? [:]
    switch entry.event {
    case "notified": return ClockEvent(.notified, at: entry.effectiveAt)
    case "feedback_given": return ClockEvent(.feedbackGiven, at: entry.effectiveAt)
    case "extended":
      return ClockEvent(.extended(days: Int(payload["days"] ?? "") ?? 0), at: entry.effectiveAt)
    default:
      guard let move = Move(rawValue: entry.event),
        let from = payload["from"].flatMap(ItemState.init(rawValue:)),
        let to = payload["to"].flatMap(ItemState.init(rawValue:))
      else { return nil }
      return ClockEvent(
        .move(move, from: from, to: to, disposalApproved: payload["approved"] == "true"),
        at: entry.effectiveAt)
    }
  }
}
