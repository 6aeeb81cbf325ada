import Foundation

/// A measure as a report or the board reads it at one moment: its plan, where it stood, and its
/// figure from the case ledger when it is linked.
public struct MeasureSnapshot: Sendable, Equatable {
  public var measure: MeasureSummary
  public var standing: MeasureStanding
  public var link: MeasureLink?
  public var figure: LiveFigure?

  public init(
    measure: MeasureSummary, standing: MeasureStanding, link: MeasureLink? = nil, figure: LiveFigure? = nil
  ) {
    self.measure = measure
    self.standing = standing
    self.link = link
    self.figure = figure
  }

  /// The figure a report shows: the ledger's closed items for a linked measure, else the latest
  /// figure entered; with the target (or the linked items' count) it is measured against.
  public var progress: (done: Double, of: Double?, unit: String?)? {
    if let figure {
      return (Double(figure.closed), Double(figure.total), measure.target?.unit ?? "件")
    }
    guard let done = standing.done else { return nil }
    return (done, measure.target?.value, measure.target?.unit)
  }
}

/// How many measures stand where: the report's totals, and each group's.
public struct MeasureTotals: Sendable, Equatable {
  public var measures = 0
  public var signedOff = 0
  /// Completed, waiting for the rectification office's sign-off (对账销号).
  public var awaitingSignOff = 0
  /// In progress or reopened.
  public var inProgress = 0
  public var planned = 0
  /// Lagging: due and not signed off, or behind one of its milestones.
  public var overdue = 0
  public var longTerm = 0
  public var claimed = 0

  public init() {}

  public mutating func count(_ snapshot: MeasureSnapshot) {
    guard let state = snapshot.standing.state else { return }
    measures += 1
    switch state {
    case .signedOff: signedOff += 1
    case .completed: awaitingSignOff += 1
    case .inProgress, .reopened: inProgress += 1
    case .planned: planned += 1
    }
    if snapshot.standing.lagging { overdue += 1 }
    if snapshot.measure.category == .longTerm { longTerm += 1 }
    if snapshot.standing.claimed { claimed += 1 }
  }

  public static func of(_ snapshots: [MeasureSnapshot]) -> MeasureTotals {
    var totals = MeasureTotals()
    for snapshot in snapshots { totals.count(snapshot) }
    return totals
  }
}

/// A round's progress report as of one moment (`rectify report`): totals, by aspect, lead leader
/// and responsible unit, and the quantified targets with their current figures.
public struct RectificationReport: Sendable {
  public struct Group: Sendable, Equatable {
    public var name: String
    public var totals: MeasureTotals
  }

  /// Public suggestions on the rectification (对…巡视整改情况的意见建议): received by the as-of
  /// time, and answered (closed) by then.
  public struct Suggestions: Sendable, Equatable {
    public var received: Int
    public var answered: Int
    public init(received: Int, answered: Int) {
      self.received = received
      self.answered = answered
    }
  }

  public var round: RectificationRound
  public var asOf: Date
  /// The measures in the ledger at the as-of time, by number.
  public var measures: [MeasureSnapshot]
  public var totals: MeasureTotals
  public var byAspect: [Group]
  public var byLead: [Group]
  /// A measure counts for each of its responsible units.
  public var byUnit: [Group]
  public var suggestions: Suggestions

  public init(round: RectificationRound, asOf: Date, snapshots: [MeasureSnapshot], suggestions: Suggestions) {
    self.round = round
    self.asOf = asOf
    self.suggestions = suggestions
    let measures = snapshots.filter { $0.standing.state != nil }.sorted {
      $0.measure.number < $1.measure.number
    }
    self.measures = measures
    totals = .of(measures)
    func groups(_ keys: (MeasureSnapshot) -> [String]) -> [Group] {
      var order: [String] = []
      var totals: [String: MeasureTotals] = [:]
      for snapshot in measures {
        for key in keys(snapshot) {
          if totals[key] == nil { order.append(key) }
          totals[key, default: MeasureTotals()].count(snapshot)
        }
      }
      return order.map { Group(name: $0, totals: totals[$0]!) }
    }
    byAspect = groups { [$0.measure.aspect] }
    byLead = groups { [$0.measure.leadName] }
    byUnit = groups { $0.measure.units }.sorted { $0.name < $1.name }
  }

  /// The measures with a quantified target or a linked figure.
  public var targets: [MeasureSnapshot] { measures.filter { $0.measure.target != nil || $0.figure != nil } }

  /// The public report's totals sentence: 提出整改措施62条，已完成…条.
  public var totalsSentence: String {
    let done = totals.signedOff + totals.awaitingSignOff
    var sentence = "提出整改措施\(totals.measures)条，已完成\(done)条"
    if totals.signedOff > 0 { sentence += "（已对账销号\(totals.signedOff)条）" }
    let rest = totals.measures - done
    if rest > 0 {
      sentence += "，正在推进\(rest)条"
      if totals.longTerm > 0 { sentence += "（其中长期坚持\(totals.longTerm)条）" }
    }
    return sentence + "。"
  }
}
