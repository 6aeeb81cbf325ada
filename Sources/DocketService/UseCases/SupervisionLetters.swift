import DocketCore
import DocketStore
import Foundation

/// A supervision letter to one unit, as issued.
public struct SupervisionLetter: Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    /// 提醒函: items about to fall due (amber).
    case reminder
    /// 催办函: items past due (red).
    case chaser
    /// 督办函: items past due for longer than the office allows.
    case supervision

    public var chinese: String {
      switch self {
      case .reminder: "提醒函"
      case .chaser: "催办函"
      case .supervision: "督办函"
      }
    }
  }

  public var kind: Kind
  public var year: Int
  public var number: Int
  public var unit: String
  public var date: CivilDate
  public var lines: [BoardLine]

  /// `催办函〔2021〕第3号`.
  public var title: String { "\(kind.chinese)〔\(year)〕第\(number)号" }
}

extension Docket {
  /// Issues one letter per unit with amber or red items on the overdue board as of `asOf`: a
  /// 督办函 when an item is overdue by the office's limit (`supervision_after_working_days`), else a
  /// 催办函 when one is overdue, else a 提醒函. Each letter is numbered and recorded, and each item
  /// it lists gets a journal event, so a unit's history shows when it was chased.
  public func issueLetters(asOf: Date? = nil, actor login: String?) throws(DocketError) -> [SupervisionLetter]
  {
    let actor = try actor(login)
    try require(actor, .issueLetters, "issue supervision letters")
    let asOf = asOf ?? now()
    let board = try overdueBoard(asOf: asOf, actor: login)
    let limit =
      try store { try SettingsRepository(db).value("supervision_after_working_days") }.flatMap(Int.init) ?? 10
    let date = office.time.civilDate(of: asOf)
    return try transaction { () throws(DocketError) in
      let units = try store { try UnitRepository(db).all() }
      var letters: [SupervisionLetter] = []
      let byUnit = Dictionary(grouping: board.filter { $0.clock.warning >= .amber && $0.item.unitID != nil })
      {
        $0.item.unitID!
      }
      for (unitID, lines) in byUnit.sorted(by: { $0.key < $1.key }) {
        guard let unit = units.first(where: { $0.id == unitID }) else { continue }
        let kind: SupervisionLetter.Kind =
          lines.contains { $0.workingDaysOverdue >= limit && $0.clock.warning == .red }
          ? .supervision
          : lines.contains { $0.clock.warning == .red } ? .chaser : .reminder
        let number = try store {
          try LetterRepository(db).issue(
            year: date.year, kind: kind.rawValue, unitID: unitID, issuedAt: asOf, issuedBy: actor.login,
            refs: lines.map(\.item.ref))
        }
        let letter = SupervisionLetter(
          kind: kind, year: date.year, number: number, unit: unit.name, date: date, lines: lines)
        for line in lines {
          try journal(
            item: line.item.id, actor: actor.login,
            .supervisionLetter(letter: letter.title, kind: kind.rawValue, unit: unit.name), at: asOf)
        }
        letters.append(letter)
      }
      return letters
    }
  }
}
