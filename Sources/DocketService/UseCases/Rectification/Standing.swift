import DocketCore
import DocketStore
import Foundation

/// One measure with its whole history, for `rectify show`.
public struct MeasureDetail: Sendable {
  public var snapshot: MeasureSnapshot
  public var entries: [MeasureEntry]
  public var evidence: [MeasureEvidence]
  public var version: Int
}

/// The board of lagging and warning measures (`rectify board`), grouped by responsible unit and
/// by lead leader.
public struct MeasureBoard: Sendable {
  public var asOf: Date
  /// A measure appears under each of its responsible units.
  public var byUnit: [(unit: String, measures: [MeasureSnapshot])]
  public var byLead: [(lead: String, measures: [MeasureSnapshot])]
}

extension Docket {
  /// Every measure the actor may see (of one round, or all) as it stood at `asOf`: its state from
  /// the entries effective by then, its due day and warning on the office's working-day calendar,
  /// and a linked measure's figure counted from the case ledger at that moment.
  func measureSnapshots(round: Int?, asOf: Date, actor: Staff) throws(DocketError) -> [MeasureSnapshot] {
    let repository = MeasureWorkRepository(db)
    let summaries = try store {
      try RectificationRepository(db).measures(
        round: round, unitID: Permissions.seesAllUnits(actor.roles) ? nil : actor.unitID ?? -1, state: nil)
    }
    let identities = try store { try repository.identities(round: round) }
    let histories = try store { try repository.entries(round: round) }
    let links = try store { try repository.links(round: round) }
    let settings = try store { try SettingsRepository(db).all() }
    let thresholds = WarningThresholds(
      blue: settings["measure_warning_blue_working_days"].flatMap(Int.init) ?? 15,
      amber: settings["measure_warning_amber_working_days"].flatMap(Int.init) ?? 5)
    let immediateDays = settings["measure_immediate_working_days"].flatMap(Int.init) ?? 30
    let calendar = try clockEngine().calendar
    var rounds: [Int: RectificationRound] = [:]
    var snapshots: [MeasureSnapshot] = []
    for measure in summaries {
      guard let identity = identities[measure.ref] else { continue }
      if rounds[measure.roundID] == nil {
        rounds[measure.roundID] = try store { try RectificationRepository(db).round(measure.roundID) }
      }
      guard let plan = rounds[measure.roundID] else { continue }
      let due = measure.category.due(
        feedback: plan.feedbackDate, reportDue: plan.reportDue, immediateWorkingDays: immediateDays,
        calendar: calendar)
      let standing = MeasureStanding.at(
        asOf, plannedAt: identity.plannedAt, entries: histories[identity.id] ?? [], due: due,
        calendar: calendar,
        office: office.time, thresholds: thresholds)
      var snapshot = MeasureSnapshot(measure: measure, standing: standing)
      if let link = links[identity.id] {
        snapshot.link = link
        snapshot.figure = try store { try repository.figure(link, asOf: asOf) }
      }
      snapshots.append(snapshot)
    }
    return snapshots
  }

  /// One measure with its history, evidence and live figure, as of now.
  public func measureDetail(_ ref: String, actor login: String?) throws(DocketError) -> MeasureDetail {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the rectification ledger")
    let (round, number) = try Self.measureRef(ref)
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      let repository = MeasureWorkRepository(db)
      let snapshots = try measureSnapshots(round: round, asOf: now(), actor: actor)
      guard let snapshot = snapshots.first(where: { $0.measure.number == number }),
        let record = try store({ try repository.identities(round: round) })[snapshot.measure.ref]
      else { throw .notFound("measure \(ref); 'docket rectify list' lists the measures you may see") }
      let entries = try store { try repository.entries(round: round) }[record.id] ?? []
      let evidence = try store { try repository.evidence(measure: record.id) }
      return MeasureDetail(
        snapshot: snapshot, entries: entries, evidence: evidence, version: entries.count + 1)
    }
  }

  /// An evidence file of a measure, for whoever sees the measure.
  public func measureEvidence(_ ref: String, evidence id: Int64, actor login: String?) throws(DocketError)
    -> EvidenceFile
  {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the rectification ledger")
    let (round, number) = try Self.measureRef(ref)
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      let repository = MeasureWorkRepository(db)
      guard
        let visible = try measureSnapshots(round: round, asOf: now(), actor: actor).first(where: {
          $0.measure.number == number
        }), let record = try store({ try repository.identities(round: round) })[visible.measure.ref],
        let (name, bytes) = try store({ try repository.evidenceBytes(measure: record.id, id: id) })
      else { throw .notFound("evidence \(id) of measure \(ref); 'docket rectify show \(ref)' lists it") }
      return EvidenceFile(fileName: name, bytes: bytes)
    }
  }

  /// The measures lagging or warning at `asOf`, worst first, by unit and by lead leader.
  public func measureBoard(round: Int? = nil, asOf: Date? = nil, actor login: String?) throws(DocketError)
    -> MeasureBoard
  {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the rectification board")
    let asOf = asOf ?? now()
    let flagged = try transaction(.repeatableReadOnly) { () throws(DocketError) in
      try measureSnapshots(round: round, asOf: asOf, actor: actor)
    }.filter { $0.standing.warning != .none }
      .sorted {
        ($0.standing.warning, $0.standing.workingDaysOverdue, -$0.measure.number)
          > ($1.standing.warning, $1.standing.workingDaysOverdue, -$1.measure.number)
      }
    var units: [String: [MeasureSnapshot]] = [:]
    var leads: [String: [MeasureSnapshot]] = [:]
    for snapshot in flagged {
      for unit in snapshot.measure.units { units[unit, default: []].append(snapshot) }
      leads[snapshot.measure.leadName, default: []].append(snapshot)
    }
    return MeasureBoard(
      asOf: asOf, byUnit: units.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
      byLead: leads.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
  }

  /// A round's progress report as of `asOf`, exact: entries count by their effective time, linked
  /// figures are counted from the case ledger at that moment.
  public func progressReport(round: Int, asOf: Date? = nil, actor login: String?) throws(DocketError)
    -> RectificationReport
  {
    let actor = try actor(login)
    try require(actor, .readReports, "read the rectification report")
    let asOf = asOf ?? now()
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      guard let plan = try store({ try RectificationRepository(db).round(round) }) else {
        throw .notFound("rectification round \(round); 'docket rectify list' shows the rounds' measures")
      }
      let snapshots = try measureSnapshots(round: round, asOf: asOf, actor: actor)
      let since = office.time.start(of: plan.feedbackDate)
      let suggestions = try store { try MeasureWorkRepository(db).suggestions(since: since, asOf: asOf) }
      return RectificationReport(
        round: plan, asOf: asOf, snapshots: snapshots,
        suggestions: .init(received: suggestions.received, answered: suggestions.answered))
    }
  }

  /// The office's feedback contacts for the public report (`config set feedback_…`), the empty
  /// ones left out.
  public func feedbackContacts(actor login: String?) throws(DocketError) -> [(key: String, value: String)] {
    try require(try actor(login), .readReports, "read the rectification report")
    let settings = try store { try SettingsRepository(db).all() }
    return ["feedback_phone", "feedback_address", "feedback_envelope_note", "feedback_email"].compactMap {
      key in
      settings[key].flatMap { $0.isEmpty ? nil : (key, $0) }
    }
  }
}
