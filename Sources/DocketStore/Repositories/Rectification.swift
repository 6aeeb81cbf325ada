import DocketCore
import Foundation

/// A measure of a plan on its way in, its lead leader and units resolved.
public struct NewMeasure: Sendable {
  public var aspect: String
  public var problem: String
  public var number: Int
  public var text: String
  public var leadID: Int
  public var category: MeasureCategory
  public var target: MeasureTarget?
  public var unitIDs: [Int]

  public init(
    aspect: String, problem: String, number: Int, text: String, leadID: Int, category: MeasureCategory,
    target: MeasureTarget?, unitIDs: [Int]
  ) {
    self.aspect = aspect
    self.problem = problem
    self.number = number
    self.text = text
    self.leadID = leadID
    self.category = category
    self.target = target
    self.unitIDs = unitIDs
  }
}

/// The rectification ledger's rounds, aspects, problems and measures (sql/0021_rectification.sql).
public struct RectificationRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  public func addRound(name: String, team: String, feedbackDate: CivilDate, reportDue: CivilDate?, at: Date)
    throws(DatabaseError) -> Int
  {
    try db.first(
      """
      INSERT INTO rectification_rounds (name, team, feedback_date, report_due, created_at)
      VALUES ($1, $2, $3::date, $4::date, $5) RETURNING id
      """, [name, team, feedbackDate.description, reportDue?.description, at])!.decode("id")
  }

  public func round(_ id: Int) throws(DatabaseError) -> RectificationRound? {
    try db.first(
      """
      SELECT id, name, team, feedback_date::text AS feedback, report_due::text AS due
      FROM rectification_rounds WHERE id = $1
      """, [id]
    ).map { row throws(DatabaseError) in
      RectificationRound(
        id: try row.decode("id"), name: try row.decode("name"), team: try row.decode("team"),
        feedbackDate: CivilDate(try row.decode("feedback", as: String.self))!,
        reportDue: try row.optional("due", as: String.self).flatMap(CivilDate.init))
    }
  }

  /// Every round, oldest first.
  public func rounds() throws(DatabaseError) -> [RectificationRound] {
    try db.query(
      """
      SELECT id, name, team, feedback_date::text AS feedback, report_due::text AS due
      FROM rectification_rounds ORDER BY id
      """
    ).map { row throws(DatabaseError) in
      RectificationRound(
        id: try row.decode("id"), name: try row.decode("name"), team: try row.decode("team"),
        feedbackDate: CivilDate(try row.decode("feedback", as: String.self))!,
        reportDue: try row.optional("due", as: String.self).flatMap(CivilDate.init))
    }
  }

  /// How many measures a round has (a plan is imported once).
  public func measureCount(round: Int) throws(DatabaseError) -> Int {
    try db.first("SELECT count(*) AS n FROM measures WHERE round_id = $1", [round])!.decode("n")
  }

  /// Writes a round's plan: aspects and problems in the order they first appear, then the measures
  /// with their units. Returns the ids of the measures, in the order given.
  public func addPlan(round: Int, measures: [NewMeasure], at: Date) throws(DatabaseError) -> [Int64] {
    var aspects: [String: Int] = [:]
    var problems: [String: Int] = [:]
    var ids: [Int64] = []
    for measure in measures {
      let aspectID: Int
      if let known = aspects[measure.aspect] {
        aspectID = known
      } else {
        aspectID = try db.first(
          "INSERT INTO rectification_aspects (round_id, position, title) VALUES ($1, $2, $3) RETURNING id",
          [round, aspects.count + 1, measure.aspect])!.decode("id")
        aspects[measure.aspect] = aspectID
      }
      let problemKey = "\(aspectID)\u{1F}\(measure.problem)"
      let problemID: Int
      if let known = problems[problemKey] {
        problemID = known
      } else {
        let position = problems.keys.filter { $0.hasPrefix("\(aspectID)\u{1F}") }.count + 1
        problemID = try db.first(
          "INSERT INTO rectification_problems (aspect_id, position, title) VALUES ($1, $2, $3) RETURNING id",
          [aspectID, position, measure.problem])!.decode("id")
        problems[problemKey] = problemID
      }
      let id: Int64 = try db.first(
        """
        INSERT INTO measures (round_id, problem_id, number, text, lead_id, category, due_date, target_value,
          target_unit, state, state_since, planned_at, last_entry_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::numeric, $9, 'planned', $10, $10, $10) RETURNING id
        """,
        [
          round, problemID, measure.number, measure.text, measure.leadID, measure.category.rawValue,
          measure.category.due?.description, measure.target.map { String($0.value) }, measure.target?.unit,
          at,
        ])!.decode("id")
      try SearchRepository(db).setMeasure(id, .measure(text: measure.text, problem: measure.problem))
      for (position, unit) in measure.unitIDs.enumerated() {
        try db.query(
          "INSERT INTO measure_units (measure_id, position, unit_id) VALUES ($1, $2, $3)",
          [id, position, unit])
      }
      ids.append(id)
    }
    return ids
  }

  /// The measures, in round and number order, of one round, one responsible unit, one state, or all.
  public func measures(round: Int?, unitID: Int?, state: MeasureState?) throws(DatabaseError)
    -> [MeasureSummary]
  {
    try db.query(
      """
      SELECT m.round_id, m.number, a.title AS aspect, p.title AS problem, m.text, s.login, s.name,
        m.category, m.due_date::text AS due, m.target_value::float8 AS target_value, m.target_unit, m.state,
        m.state_since,
        (SELECT array_to_string(array_agg(u.name ORDER BY mu.position), E'\\x1F')
         FROM measure_units mu JOIN units u ON u.id = mu.unit_id WHERE mu.measure_id = m.id) AS units
      FROM measures m
      JOIN rectification_problems p ON p.id = m.problem_id JOIN rectification_aspects a ON a.id = p.aspect_id
      JOIN staff s ON s.id = m.lead_id
      WHERE ($1::integer IS NULL OR m.round_id = $1) AND ($3::text IS NULL OR m.state = $3)
        AND ($2::integer IS NULL OR m.id IN (SELECT measure_id FROM measure_units WHERE unit_id = $2))
      ORDER BY m.round_id, m.number
      """, [round, unitID, state?.rawValue]
    ).map { row throws(DatabaseError) in
      let category: MeasureCategory
      switch try row.decode("category", as: String.self) {
      case "immediate": category = .immediate
      case "long_term": category = .longTerm
      default: category = .deadline(CivilDate(try row.decode("due", as: String.self))!)
      }
      let round: Int = try row.decode("round_id")
      let unit: String? = try row.optional("target_unit")
      let target = try row.optional("target_value", as: Double.self).map {
        MeasureTarget(value: $0, unit: unit)
      }
      let number: Int = try row.decode("number")
      return MeasureSummary(
        ref: MeasureSummary.ref(round: round, number: number), roundID: round, number: number,
        aspect: try row.decode("aspect"), problem: try row.decode("problem"), text: try row.decode("text"),
        leadLogin: try row.decode("login"), leadName: try row.decode("name"),
        units: (try row.optional("units", as: String.self) ?? "").split(separator: "\u{1F}").map(String.init),
        category: category, target: target, state: try ItemRepository.term(row, "state"),
        stateSince: try row.decode("state_since"))
    }
  }
}
