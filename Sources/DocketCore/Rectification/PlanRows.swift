import Foundation

/// A column of a rectification plan (整改任务清单), by its Chinese or English header.
public enum PlanField: String, CaseIterable, Sendable {
  case number, aspect, problem, measure, lead, units, due, target

  /// The headers it goes by, compared without spaces and case.
  public var headers: [String] {
    switch self {
    case .number: ["序号", "number", "编号"]
    case .aspect: ["方面", "aspect", "问题方面"]
    case .problem: ["问题", "problem", "反馈问题", "存在问题"]
    case .measure: ["整改措施", "measure", "措施"]
    case .lead: ["牵头领导", "lead", "责任领导"]
    case .units: ["责任单位", "units", "牵头单位"]
    case .due: ["完成时限", "due", "整改时限"]
    case .target: ["目标", "target", "量化目标"]
    }
  }

  static let required: [PlanField] = [.number, .measure, .lead, .units, .due]
}

/// Which column holds each field, from a header row.
public struct PlanLayout: Sendable, Equatable {
  public var columns: [PlanField: Int]
  /// The header as written, per column, for error messages.
  public var headers: [Int: String]

  /// The layout of `header`, or the required fields no column is for.
  public static func read(_ header: [String]) -> Result<PlanLayout, PlanLayoutError> {
    var columns: [PlanField: Int] = [:]
    var headers: [Int: String] = [:]
    for (index, text) in header.enumerated() {
      let key = text.filter { !$0.isWhitespace }.lowercased()
      guard !key.isEmpty else { continue }
      headers[index] = text
      if let field = PlanField.allCases.first(where: { $0.headers.contains(key) }), columns[field] == nil {
        columns[field] = index
      }
    }
    let missing = PlanField.required.filter { columns[$0] == nil }
    guard missing.isEmpty else { return .failure(PlanLayoutError(missing: missing)) }
    return .success(PlanLayout(columns: columns, headers: headers))
  }
}

extension PlanLayout {
  /// A problem with `field`'s cell in spreadsheet row `row`, named by its column and header.
  public func problem(row: Int, _ field: PlanField, _ text: String) -> CellProblem {
    let index = columns[field] ?? 0
    return CellProblem(
      row: row, column: columnLetters(index), header: headers[index] ?? field.headers[0], problem: text)
  }
}

public struct PlanLayoutError: Error, Sendable, Equatable, CustomStringConvertible {
  public var missing: [PlanField]
  public var description: String {
    "no column for \(missing.map { "\($0.headers[0]) (\($0.rawValue))" }.joined(separator: ", "))"
  }
}

/// One measure of a plan, checked: its aspect and problem as the rows say them (a blank cell
/// continues the one above, as a merged cell reads), the lead leader and units as written, to be
/// resolved against staff and units.
public struct PlanRow: Sendable, Equatable {
  public var row: Int
  public var number: Int
  public var aspect: String
  public var problem: String
  public var measure: String
  public var lead: String
  public var units: [String]
  public var category: MeasureCategory
  public var target: MeasureTarget?
}

/// Checks a plan's rows one by one, carrying the aspect and problem down.
public struct PlanChecker: Sendable {
  let layout: PlanLayout
  private var aspect = ""
  private var problem = ""
  private var numbers: [Int: Int] = [:]

  public init(layout: PlanLayout) { self.layout = layout }

  /// Splits a units cell on 、 ， , ; ； and line breaks.
  public static func units(_ text: String) -> [String] {
    text.split(whereSeparator: { "、，,;；\n\r/".contains($0) }).map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
  }

  /// The row checked, or its problems; a blank row is nil with none.
  public mutating func check(row: Int, cells: [String]) -> (row: PlanRow?, problems: [CellProblem]) {
    func cell(_ field: PlanField) -> String {
      guard let index = layout.columns[field], index < cells.count else { return "" }
      return cells[index].trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard cells.contains(where: { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else {
      return (nil, [])
    }
    var problems: [CellProblem] = []
    func problem(_ field: PlanField, _ text: String) {
      problems.append(layout.problem(row: row, field, text))
    }
    if !cell(.aspect).isEmpty { aspect = cell(.aspect) }
    if !cell(.problem).isEmpty { self.problem = cell(.problem) }
    let numberText = cell(.number)
    let number = Int(numberText.filter { $0.isASCII && $0.isNumber }.prefix(6))
    if number == nil || numberText.isEmpty {
      problem(
        .number, "'\(numberText)' is not a measure's number; give each measure its plan number (1, 2, …)")
    } else if let number, let earlier = numbers[number] {
      problem(.number, "measure \(number) is numbered twice (also row \(earlier)); give each its own number")
    }
    if let number { numbers[number] = numbers[number] ?? row }
    let measure = cell(.measure)
    if measure.isEmpty { problem(.measure, "no measure text; write what is to be done") }
    let lead = cell(.lead)
    if lead.isEmpty { problem(.lead, "no lead leader; give a staff login or name") }
    let units = Self.units(cell(.units))
    if units.isEmpty { problem(.units, "no responsible unit; give one or more, separated by 、") }
    let dueText = cell(.due)
    let category = MeasureCategory.parse(dueText)
    if category == nil {
      problem(.due, "'\(dueText)' is not a date, 立行立改 or 长期坚持; write for example 2021-12-31")
    }
    let targetText = cell(.target)
    let target = targetText.isEmpty ? nil : MeasureTarget.parse(targetText)
    if !targetText.isEmpty && target == nil {
      problem(
        .target,
        "'\(targetText)' is not a number with an optional unit (119宗, 1232项); leave it empty if there is none"
      )
    }
    if aspect.isEmpty && layout.columns[.aspect] != nil { problem(.aspect, "no aspect above this measure") }
    guard problems.isEmpty, let number, let category else { return (nil, problems) }
    return (
      PlanRow(
        row: row, number: number, aspect: aspect.isEmpty ? "（未分方面）" : aspect,
        problem: self.problem.isEmpty ? "（未分问题）" : self.problem, measure: measure, lead: lead, units: units,
        category: category, target: target), []
    )
  }
}
