import DocketCore
import DocketStore
import Foundation

/// A 提醒函 or 督办函 to a unit lagging on its rectification measures, as issued.
public struct RectificationLetter: Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    /// 提醒函: lagging measures to finish and report on.
    case reminder
    /// 督办函: measures lagging longer than the office allows.
    case supervision

    public var chinese: String {
      switch self {
      case .reminder: "提醒函"
      case .supervision: "督办函"
      }
    }
  }

  public var kind: Kind
  public var year: Int
  public var number: Int
  public var unit: String
  public var date: CivilDate
  public var measures: [MeasureSnapshot]

  /// `整改督办函〔2021〕第3号`: the rectification office's own sequence, apart from the case
  /// office's supervision letters.
  public var title: String { "整改\(kind.chinese)〔\(year)〕第\(number)号" }
}

/// The party secretary's weekly dispatch sheet (每周调度): every lagging measure, what changed in
/// the week before, by lead leader.
public struct DispatchSheet: Sendable {
  public struct Line: Sendable {
    public var measure: MeasureSnapshot
    /// Its entries effective in the week before the sheet.
    public var changes: [MeasureEntry]
  }

  public var asOf: Date
  /// The start of the week covered: the previous sheet's time.
  public var since: Date
  public var byLead: [(lead: String, lines: [Line])]
}

extension Docket {
  /// Issues one letter per unit responsible for a lagging measure at `asOf`, listing its lagging
  /// measures: a 督办函 when one of them is overdue by the office's limit
  /// (`supervision_after_working_days`), else a 提醒函; `kind` makes every letter that kind.
  /// Each letter is numbered, recorded and journaled.
  public func issueRectificationLetters(
    round: Int? = nil, asOf: Date? = nil, kind: RectificationLetter.Kind? = nil, actor login: String?
  ) throws(DocketError) -> [RectificationLetter] {
    let actor = try actor(login)
    try require(actor, .issueLetters, "issue letters to lagging units")
    let asOf = asOf ?? now()
    let date = office.time.civilDate(of: asOf)
    return try transaction { () throws(DocketError) in
      let lagging = try measureSnapshots(round: round, asOf: asOf, actor: actor).filter(\.standing.lagging)
      let limit =
        try store { try SettingsRepository(db).value("supervision_after_working_days") }.flatMap(Int.init)
        ?? 10
      let units = try unitIDs()
      var byUnit: [String: [MeasureSnapshot]] = [:]
      for snapshot in lagging {
        for unit in snapshot.measure.units { byUnit[unit, default: []].append(snapshot) }
      }
      var letters: [RectificationLetter] = []
      for (unit, measures) in byUnit.sorted(by: { $0.key < $1.key }) {
        guard let unitID = units[unit] else { continue }
        let letterKind =
          kind ?? (measures.contains { $0.standing.workingDaysOverdue >= limit } ? .supervision : .reminder)
        let number = try store {
          try MeasureWorkRepository(db).issueLetter(
            year: date.year, kind: letterKind.rawValue, unitID: unitID, issuedAt: asOf, issuedBy: actor.login,
            refs: measures.map(\.measure.ref))
        }
        let letter = RectificationLetter(
          kind: letterKind, year: date.year, number: number, unit: unit, date: date, measures: measures)
        try journal(
          item: nil, actor: actor.login,
          .rectificationLetter(
            letter: letter.title, kind: letterKind.rawValue, unit: unit, measures: measures.count),
          at: asOf)
        letters.append(letter)
      }
      return letters
    }
  }

  /// The weekly dispatch sheet as of `asOf`: the lagging measures by lead leader, each with what
  /// changed in the seven days before.
  public func dispatchSheet(round: Int? = nil, asOf: Date? = nil, actor login: String?) throws(DocketError)
    -> DispatchSheet
  {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the dispatch sheet")
    let asOf = asOf ?? now()
    let since = asOf.addingTimeInterval(-7 * 86_400)
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      let snapshots = try measureSnapshots(round: round, asOf: asOf, actor: actor).filter(\.standing.lagging)
      let histories = try store { try MeasureWorkRepository(db).entries(round: round) }
      let ids = try store { try MeasureWorkRepository(db).identities(round: round) }
      var byLead: [String: [DispatchSheet.Line]] = [:]
      for snapshot in snapshots {
        let entries = ids[snapshot.measure.ref].flatMap { histories[$0.id] } ?? []
        let changes = entries.filter { $0.effectiveAt > since && $0.effectiveAt <= asOf }
        byLead[snapshot.measure.leadName, default: []].append(.init(measure: snapshot, changes: changes))
      }
      return DispatchSheet(
        asOf: asOf, since: since, byLead: byLead.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
  }
}
