/// The clocks staff are held to (DESIGN.md, "Deadlines").
public enum DeadlineClock: String, Term {
  case forward
  case acceptanceNotice = "acceptance_notice"
  case disposalProposal = "disposal_proposal"
  case petitionHandling = "petition_handling"
  case inspectionReport = "inspection_report"
  case resultFeedback = "result_feedback"

  public var chinese: String {
    switch self {
    case .forward: "转送转办"
    case .acceptanceNotice: "受理告知"
    case .disposalProposal: "处置意见"
    case .petitionHandling: "申诉求决办理"
    case .inspectionReport: "巡视移交反馈"
    case .resultFeedback: "结果反馈"
    }
  }
}

/// What starts a clock.
public enum ClockStart: String, Sendable, Codable, CaseIterable {
  case receipt, acceptance, closure
}

/// The unit a clock's length is counted in.
public enum PeriodUnit: String, Term {
  case workingDays = "working_days"
  case calendarDays = "calendar_days"
  case months

  public var chinese: String {
    switch self {
    case .workingDays: "个工作日"
    case .calendarDays: "日"
    case .months: "个月"
    }
  }

  public var aliases: [String] {
    switch self {
    case .workingDays: ["工作日", "workdays"]
    case .calendarDays: ["天", "自然日", "days"]
    case .months: ["月", "month"]
    }
  }
}

/// One clock's rule: what starts it, how long it runs, and how far it may be extended.
public struct ClockRule: Sendable, Equatable {
  public var clock: DeadlineClock
  public var startsAt: ClockStart
  public var length: Int
  public var unit: PeriodUnit
  public var extensionLength: Int?
  /// The rule it comes from, for people reading the policy.
  public var basis: String

  public init(
    clock: DeadlineClock, startsAt: ClockStart, length: Int, unit: PeriodUnit, extensionLength: Int?,
    basis: String
  ) {
    self.clock = clock
    self.startsAt = startsAt
    self.length = length
    self.unit = unit
    self.extensionLength = extensionLength
    self.basis = basis
  }

  /// The day the period ends when it starts on `start`, counted as the law counts it: the start day
  /// is not counted, and a calendar-day or month period ending on a rest day ends on the next
  /// working day. `extraDays` adds days (on hold, or an extension) in the clock's own unit, or in
  /// calendar days for a month clock.
  public func due(from start: CivilDate, calendar: WorkingCalendar, extraDays: Int = 0) -> CivilDate {
    switch unit {
    case .workingDays: calendar.addingWorkingDays(length + extraDays, to: start)
    case .calendarDays: calendar.addingCalendarDays(length + extraDays, to: start)
    case .months: calendar.nextWorkingDay(onOrAfter: start.adding(months: length).adding(days: extraDays))
    }
  }

  /// The length as people say it: `5 个工作日`, `1 个月`, `60 日`.
  public func lengthLabel(_ language: Language) -> String { Self.label(length, unit, language) }

  /// The longest extension as people say it, or nil when the clock cannot be extended.
  public func extensionLabel(_ language: Language) -> String? {
    extensionLength.map { Self.label($0, unit, language) }
  }

  static func label(_ count: Int, _ unit: PeriodUnit, _ language: Language) -> String {
    switch language {
    case .chinese: unit == .calendarDays ? "\(count) 日" : "\(count) \(unit.chinese)"
    case .english: "\(count) \(unit.rawValue.replacingOccurrences(of: "_", with: " "))"
    }
  }
}
