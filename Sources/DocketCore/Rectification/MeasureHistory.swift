import Foundation

/// What one entry of a measure's history records.
public enum MeasureEntryKind: String, Term {
  /// A leader took personal charge (领办).
  case claimed
  case progress
  case completed
  /// The rectification office checked it against the ledger (对账) and recorded its sign-off,
  /// which waits for the lead leader's approval.
  case signOffRecorded = "sign_off_recorded"
  /// Signed off (销号), approved by the lead leader.
  case signedOff = "signed_off"
  case reopened
  /// Tied to case items, whose figures it then shows.
  case linked
  /// A milestone set by the rectification office: by a day, a figure reached (阶段目标), or for a
  /// long-term measure a review (a progress entry) since the milestone before.
  case milestone

  public var chinese: String {
    switch self {
    case .claimed: "领办"
    case .progress: "进展"
    case .completed: "完成"
    case .signOffRecorded: "对账待批"
    case .signedOff: "销号"
    case .reopened: "回头看重启"
    case .linked: "关联案件"
    case .milestone: "阶段节点"
    }
  }
}

/// One entry of a measure's history, by its effective time.
public struct MeasureEntry: Sendable, Equatable {
  public var kind: MeasureEntryKind
  public var effectiveAt: Date
  public var recordedAt: Date
  public var actor: String
  /// The responsible unit a handler wrote a progress entry for.
  public var unit: String?
  public var note: String?
  /// The figure reached so far, for a measure with a target.
  public var done: Double?
  /// The measure's state once the entry is made.
  public var state: MeasureState
  /// The names of the evidence files it carries.
  public var evidence: [String]
  /// A milestone's day; its `done` is the figure to reach by then, if any.
  public var milestoneOn: CivilDate?

  public init(
    kind: MeasureEntryKind, effectiveAt: Date, recordedAt: Date, actor: String, unit: String? = nil,
    note: String? = nil, done: Double? = nil, state: MeasureState, evidence: [String] = [],
    milestoneOn: CivilDate? = nil
  ) {
    self.milestoneOn = milestoneOn
    self.kind = kind
    self.effectiveAt = effectiveAt
    self.recordedAt = recordedAt
    self.actor = actor
    self.unit = unit
    self.note = note
    self.done = done
    self.state = state
    self.evidence = evidence
  }
}

/// A measure's figure counted from the case ledger: of the linked items, how many there were and
/// how many were closed at the as-of time.
public struct LiveFigure: Sendable, Equatable {
  public var total: Int
  public var closed: Int

  public init(total: Int, closed: Int) {
    self.total = total
    self.closed = closed
  }
}

/// Where a measure stood at a moment, worked out from its plan and its history.
public struct MeasureStanding: Sendable, Equatable {
  /// Nil when the measure was not yet in the ledger then.
  public var state: MeasureState?
  /// The day it is due; nil for a long-term measure (长期坚持).
  public var due: CivilDate?
  public var warning: Warning
  /// Due and not signed off (completed and awaiting sign-off counts as lagging), or behind one
  /// of its milestones.
  public var lagging: Bool
  /// Working days past the due day, or past the milestone it is behind; 0 when not past either.
  public var workingDaysOverdue: Int
  /// The earliest milestone passed and not met: its day, and the figure it asked for.
  public var missedMilestone: Milestone?
  /// The latest figure entered (a progress entry's `done`).
  public var done: Double?
  /// The latest entry with a note, for the progress report.
  public var latestNote: String?
  public var latestNoteAt: Date?
  public var claimed: Bool

  /// Works out the standing as of `asOf`: only entries effective by then count, so a backdated
  /// entry counts from its effective time, as moves do in the case ledger.
  public static func at(
    _ asOf: Date, plannedAt: Date, entries: [MeasureEntry], due: CivilDate?, calendar: WorkingCalendar,
    office: OfficeTime, thresholds: WarningThresholds
  ) -> MeasureStanding {
    let counted = entries.filter { $0.effectiveAt <= asOf && $0.kind != .milestone }
    let state: MeasureState? = plannedAt <= asOf ? (counted.last?.state ?? .planned) : nil
    let noted = counted.last { ($0.note ?? "").isEmpty == false && $0.kind != .linked }
    var standing = MeasureStanding(
      state: state, due: due, warning: .none, lagging: false, workingDaysOverdue: 0, missedMilestone: nil,
      done: counted.last { $0.done != nil }?.done, latestNote: noted?.note, latestNoteAt: noted?.effectiveAt,
      claimed: counted.contains { $0.kind == .claimed })
    guard let state, state != .signedOff else { return standing }
    let today = office.civilDate(of: asOf)
    if let due, today > due {
      standing.warning = .red
      standing.lagging = true
      standing.workingDaysOverdue = calendar.workingDays(from: due, to: today)
    } else if let due {
      let left = calendar.workingDays(from: today, to: due)
      standing.warning = left <= thresholds.amber ? .amber : left <= thresholds.blue ? .blue : .none
    }
    // A completed measure has done what its milestones asked; it waits on its due date alone.
    guard state != .completed else { return standing }
    let milestones = Milestone.all(in: entries, asOf: asOf)
    if let missed = Milestone.firstMissed(
      milestones, plannedAt: plannedAt, entries: counted, today: today, office: office)
    {
      standing.missedMilestone = missed
      standing.lagging = true
      standing.warning = .red
      standing.workingDaysOverdue = max(
        standing.workingDaysOverdue, calendar.workingDays(from: missed.day, to: today))
    }
    return standing
  }
}

/// A milestone on the way to a measure's due date: by `day`, the figure `done` reached, or (with
/// none, a long-term measure's review date) a progress entry made since the milestone before.
public struct Milestone: Sendable, Equatable {
  public var day: CivilDate
  public var done: Double?
  public var note: String?

  public init(day: CivilDate, done: Double? = nil, note: String? = nil) {
    self.day = day
    self.done = done
    self.note = note
  }

  /// The milestones set by `asOf`, by day; a milestone set again for the same day replaces it.
  public static func all(in entries: [MeasureEntry], asOf: Date) -> [Milestone] {
    var byDay: [CivilDate: Milestone] = [:]
    for entry in entries where entry.kind == .milestone && entry.effectiveAt <= asOf {
      guard let day = entry.milestoneOn else { continue }
      byDay[day] = Milestone(day: day, done: entry.done, note: entry.note)
    }
    return byDay.values.sorted { $0.day < $1.day }
  }

  /// The first milestone whose day is before `today` and which the entries (those counted by
  /// then) do not meet.
  static func firstMissed(
    _ milestones: [Milestone], plannedAt: Date, entries: [MeasureEntry], today: CivilDate, office: OfficeTime
  ) -> Milestone? {
    let done = entries.last { $0.done != nil }?.done ?? 0
    var since = plannedAt
    for milestone in milestones {
      guard milestone.day < today else { break }
      let met: Bool
      if let target = milestone.done {
        met = done >= target
      } else {
        met = entries.contains { $0.kind == .progress && $0.effectiveAt > since }
      }
      if !met { return milestone }
      since = office.start(of: milestone.day.adding(days: 1))
    }
    return nil
  }
}

extension MeasureCategory {
  /// The day a measure of this category is due: a dated one's date; a 立行立改 one the round's
  /// report date, or `immediateWorkingDays` after the feedback when the round sets none; a
  /// long-term one never.
  public func due(
    feedback: CivilDate, reportDue: CivilDate?, immediateWorkingDays: Int, calendar: WorkingCalendar
  )
    -> CivilDate?
  {
    switch self {
    case .deadline(let date): date
    case .immediate: reportDue ?? calendar.addingWorkingDays(immediateWorkingDays, to: feedback)
    case .longTerm: nil
    }
  }
}
