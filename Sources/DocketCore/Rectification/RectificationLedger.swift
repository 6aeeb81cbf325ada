import Foundation

/// One inspection's rectification: the team, when it gave its feedback, when the report is due.
public struct RectificationRound: Sendable, Equatable {
  public var id: Int
  public var name: String
  public var team: String
  public var feedbackDate: CivilDate
  public var reportDue: CivilDate?

  public init(id: Int, name: String, team: String, feedbackDate: CivilDate, reportDue: CivilDate?) {
    self.id = id
    self.name = name
    self.team = team
    self.feedbackDate = feedbackDate
    self.reportDue = reportDue
  }
}

/// A measure as the rectification ledger lists it.
public struct MeasureSummary: Sendable, Equatable {
  /// `ROUND-NUMBER`, e.g. `1-12`.
  public var ref: String
  public var roundID: Int
  public var number: Int
  public var aspect: String
  public var problem: String
  public var text: String
  public var leadLogin: String
  public var leadName: String
  /// The responsible units, the lead unit first.
  public var units: [String]
  public var category: MeasureCategory
  public var target: MeasureTarget?
  public var state: MeasureState
  public var stateSince: Date

  public init(
    ref: String, roundID: Int, number: Int, aspect: String, problem: String, text: String, leadLogin: String,
    leadName: String, units: [String], category: MeasureCategory, target: MeasureTarget?, state: MeasureState,
    stateSince: Date
  ) {
    self.ref = ref
    self.roundID = roundID
    self.number = number
    self.aspect = aspect
    self.problem = problem
    self.text = text
    self.leadLogin = leadLogin
    self.leadName = leadName
    self.units = units
    self.category = category
    self.target = target
    self.state = state
    self.stateSince = stateSince
  }

  /// A measure's reference for a round and number.
  public static func ref(round: Int, number: Int) -> String { "\(round)-\(number)" }
}
