import Foundation

/// Where a rectification measure stands (issue 17): planned, being worked, completed and awaiting
/// the rectification office's sign-off (对账销号), signed off; `reopened` when a look back (回头看)
/// finds it not done, and back to in progress from there.
public enum MeasureState: String, Term {
  case planned
  case inProgress = "in_progress"
  case completed
  case signedOff = "signed_off"
  case reopened

  public var chinese: String {
    switch self {
    case .planned: "未启动"
    case .inProgress: "推进中"
    case .completed: "已完成待销号"
    case .signedOff: "已销号"
    case .reopened: "回头看重启"
    }
  }
}

/// What is done to a measure.
public enum MeasureMove: String, CaseIterable, Sendable {
  /// A progress entry: the first one starts a planned or reopened measure.
  case progress
  case complete
  case signOff = "sign_off"
  case reopen

  /// The state the move leads to from `state`, or nil when it does not apply there.
  public func target(from state: MeasureState) -> MeasureState? {
    switch (self, state) {
    case (.progress, .planned), (.progress, .inProgress), (.progress, .reopened): .inProgress
    case (.complete, .inProgress): .completed
    case (.signOff, .completed): .signedOff
    case (.reopen, .completed), (.reopen, .signedOff): .reopened
    default: nil
    }
  }
}

/// When a measure is to be done, as a plan's 完成时限 column says it.
public enum MeasureCategory: Sendable, Equatable {
  /// 立行立改: at once.
  case immediate
  /// 限期整改: by a date.
  case deadline(CivilDate)
  /// 长期坚持: kept up, reviewed from time to time.
  case longTerm

  public var rawValue: String {
    switch self {
    case .immediate: "immediate"
    case .deadline: "deadline"
    case .longTerm: "long_term"
    }
  }

  public var due: CivilDate? {
    if case .deadline(let date) = self { return date }
    return nil
  }

  /// 立行立改, 长期坚持, or a date: 2021-12-31, 2021/12/31, 2021年12月31日, or 2021年12月底 / 2021年12月
  /// (the month's last day). Nil for anything else.
  public static func parse(_ text: String) -> MeasureCategory? {
    let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.contains("长期坚持") { return .longTerm }
    if text.contains("立行立改") || text.contains("立即") { return .immediate }
    let numbers = text.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).compactMap { Int($0) }
    guard numbers.count >= 2, (2000...2100).contains(numbers[0]) else { return nil }
    if numbers.count >= 3, let date = CivilDate(year: numbers[0], month: numbers[1], day: numbers[2]) {
      return .deadline(date)
    }
    guard numbers.count == 2, (1...12).contains(numbers[1]), text.contains("月") else { return nil }
    let last = CivilDate.length(ofMonth: numbers[1], in: numbers[0])
    return CivilDate(year: numbers[0], month: numbers[1], day: last).map { .deadline($0) }
  }
}

/// A measure's quantified target: 119 宗, 1232 项, 11 条.
public struct MeasureTarget: Sendable, Equatable {
  public var value: Double
  public var unit: String?

  public init(value: Double, unit: String?) {
    self.value = value
    self.unit = unit
  }

  /// A number with an optional unit word after it; nil when there is no number.
  public static func parse(_ text: String) -> MeasureTarget? {
    let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
    let digits = text.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
    guard let value = Double(digits), value >= 0 else { return nil }
    let unit = text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
    guard unit.count <= 4, !unit.contains(where: { $0.isNumber }) else { return nil }
    return MeasureTarget(value: value, unit: unit.isEmpty ? nil : unit)
  }
}

extension MeasureTarget {
  /// A figure as offices write it: 119, not 119.0; 77.5 as it is.
  public static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }

  /// `119宗`.
  public var description: String { Self.format(value) + (unit ?? "") }
}
