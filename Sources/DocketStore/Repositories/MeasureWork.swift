import DocketCore
import Foundation

/// A measure as a change to it reads it, locked for the transaction.
public struct MeasureRecord: Sendable {
  public var id: Int64
  public var roundID: Int
  public var number: Int
  public var state: MeasureState
  public var version: Int
  public var leadID: Int
  public var leadLogin: String
  public var unitIDs: [Int]
  public var claimedBy: Int?
  /// The rectification office's recorded sign-off, waiting for the lead leader.
  public var signOffBy: Int?
  public var plannedAt: Date
  public var lastEntryAt: Date

  public var ref: String { MeasureSummary.ref(round: roundID, number: number) }
}

/// One entry to add to a measure's history, and the state it leaves the measure in.
public struct NewMeasureEntry: Sendable {
  public var kind: MeasureEntryKind
  public var effectiveAt: Date
  public var actor: String
  public var unitID: Int?
  public var note: String?
  public var done: Double?
  public var state: MeasureState
  public var milestoneOn: CivilDate?

  public init(
    kind: MeasureEntryKind, effectiveAt: Date, actor: String, unitID: Int? = nil, note: String? = nil,
    done: Double? = nil, state: MeasureState, milestoneOn: CivilDate? = nil
  ) {
    self.milestoneOn = milestoneOn
    self.kind = kind
    self.effectiveAt = effectiveAt
    self.actor = actor
    self.unitID = unitID
    self.note = note
    self.done = done
    self.state = state
  }
}

/// A measure's evidence file, as stored with its progress entry.
public struct MeasureEvidence: Sendable, Equatable {
  public var id: Int64
  public var fileName: String
  public var contentType: String
  public var size: Int
  public var sha256: [UInt8]
}

/// A measure's history, evidence, live link and letters (sql/0022_measure_work.sql).
public struct MeasureWorkRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  /// The measure `ROUND-NUMBER`, locked; nil when there is none or row-level security hides it.
  public func lock(round: Int, number: Int) throws(DatabaseError) -> MeasureRecord? {
    try db.first(
      """
      SELECT m.id, m.round_id, m.number, m.state, m.version, m.lead_id, s.login, m.claimed_by, m.sign_off_by,
        m.planned_at, m.last_entry_at,
        (SELECT array_to_string(array_agg(unit_id ORDER BY position), ',') FROM measure_units
         WHERE measure_id = m.id) AS units
      FROM measures m JOIN staff s ON s.id = m.lead_id
      WHERE m.round_id = $1 AND m.number = $2 FOR UPDATE OF m
      """, [round, number]
    ).map { row throws(DatabaseError) in
      MeasureRecord(
        id: try row.decode("id"), roundID: try row.decode("round_id"), number: try row.decode("number"),
        state: try ItemRepository.term(row, "state"), version: try row.decode("version"),
        leadID: try row.decode("lead_id"), leadLogin: try row.decode("login"),
        unitIDs: (try row.optional("units", as: String.self) ?? "").split(separator: ",").compactMap {
          Int($0)
        },
        claimedBy: try row.optional("claimed_by"), signOffBy: try row.optional("sign_off_by"),
        plannedAt: try row.decode("planned_at"), lastEntryAt: try row.decode("last_entry_at"))
    }
  }

  /// Adds an entry and moves the measure to the entry's state; `claimedBy` and `signOffBy` are
  /// set when given (a `.some(nil)` sign-off clears it). Returns the entry's id.
  public func record(
    _ entry: NewMeasureEntry, measure: MeasureRecord, claimedBy: Int? = nil, signOffBy: Int?? = nil,
    recordedAt: Date
  ) throws(DatabaseError) -> Int64 {
    let id: Int64 = try db.first(
      """
      INSERT INTO measure_entries
        (measure_id, kind, effective_at, recorded_at, actor, unit_id, note, done, state, milestone_on)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8::float8::numeric, $9, $10::date) RETURNING id
      """,
      [
        measure.id, entry.kind.rawValue, entry.effectiveAt, recordedAt, entry.actor, entry.unitID, entry.note,
        entry.done, entry.state.rawValue, entry.milestoneOn?.description,
      ])!.decode("id")
    try db.query(
      """
      UPDATE measures SET
        state_since = CASE WHEN state = $2 THEN state_since ELSE $3 END, state = $2,
        last_entry_at = greatest(last_entry_at, $3), version = version + 1,
        claimed_by = coalesce($4, claimed_by),
        sign_off_by = CASE WHEN $5 THEN $6 ELSE sign_off_by END
      WHERE id = $1
      """,
      [
        measure.id, entry.state.rawValue, entry.effectiveAt, claimedBy, signOffBy != nil,
        signOffBy.flatMap { $0 },
      ])
    return id
  }

  public func addEvidence(
    entry: Int64, measure: Int64, fileName: String, contentType: String, bytes: [UInt8], sha256: [UInt8]
  ) throws(DatabaseError) {
    try db.query(
      """
      INSERT INTO measure_evidence (entry_id, measure_id, file_name, content_type, size, sha256, bytes)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      """, [entry, measure, fileName, contentType, bytes.count, sha256, bytes])
  }

  /// The histories of the measures of one round (or of all), by measure id, each by effective time.
  public func entries(round: Int?) throws(DatabaseError) -> [Int64: [MeasureEntry]] {
    var histories: [Int64: [MeasureEntry]] = [:]
    for row in try db.query(
      """
      SELECT e.measure_id, e.kind, e.effective_at, e.recorded_at, e.actor, u.name AS unit, e.note,
        e.done::float8 AS done, e.state, e.milestone_on::text AS milestone_on,
        (SELECT array_to_string(array_agg(v.file_name ORDER BY v.id), E'\\x1F') FROM measure_evidence v
         WHERE v.entry_id = e.id) AS evidence
      FROM measure_entries e JOIN measures m ON m.id = e.measure_id LEFT JOIN units u ON u.id = e.unit_id
      WHERE $1::integer IS NULL OR m.round_id = $1
      ORDER BY e.measure_id, e.effective_at, e.id
      """, [round])
    {
      let entry = MeasureEntry(
        kind: try ItemRepository.term(row, "kind"), effectiveAt: try row.decode("effective_at"),
        recordedAt: try row.decode("recorded_at"), actor: try row.decode("actor"),
        unit: try row.optional("unit"), note: try row.optional("note"), done: try row.optional("done"),
        state: try ItemRepository.term(row, "state"),
        evidence: (try row.optional("evidence", as: String.self) ?? "").split(separator: "\u{1F}").map(
          String.init),
        milestoneOn: (try row.optional("milestone_on", as: String.self)).flatMap(CivilDate.init))
      histories[try row.decode("measure_id"), default: []].append(entry)
    }
    return histories
  }

  /// The ids and plan times of the measures, by reference.
  public func identities(round: Int?) throws(DatabaseError) -> [String: (id: Int64, plannedAt: Date)] {
    var out: [String: (id: Int64, plannedAt: Date)] = [:]
    for row in try db.query(
      "SELECT id, round_id, number, planned_at FROM measures WHERE $1::integer IS NULL OR round_id = $1",
      [round])
    {
      out[MeasureSummary.ref(round: try row.decode("round_id"), number: try row.decode("number"))] = (
        try row.decode("id"), try row.decode("planned_at")
      )
    }
    return out
  }

  public func evidence(measure: Int64) throws(DatabaseError) -> [MeasureEvidence] {
    try db.query(
      "SELECT id, file_name, content_type, size, sha256 FROM measure_evidence WHERE measure_id = $1 ORDER BY id",
      [measure]
    ).map { row throws(DatabaseError) in
      MeasureEvidence(
        id: try row.decode("id"), fileName: try row.decode("file_name"),
        contentType: try row.decode("content_type"), size: try row.decode("size"),
        sha256: try row.decode("sha256"))
    }
  }

  /// An evidence file's bytes, when row-level security lets the reader see its measure.
  public func evidenceBytes(measure: Int64, id: Int64) throws(DatabaseError) -> (String, [UInt8])? {
    try db.first(
      "SELECT file_name, bytes FROM measure_evidence WHERE measure_id = $1 AND id = $2", [measure, id]
    ).map { row throws(DatabaseError) in (try row.decode("file_name"), try row.decode("bytes")) }
  }

  // MARK: Links

  /// Ties a measure to case items, replacing any earlier link; `items` are the ids of `.items`.
  public func link(measure: Int64, _ link: MeasureLink, itemIDs: [Int64], at: Date) throws(DatabaseError) {
    var batch: Int64?
    var filter: String?
    if case .batch(let id) = link { batch = id }
    if case .filter(let f) = link { filter = f.description }
    try db.query("DELETE FROM measure_links WHERE measure_id = $1", [measure])
    try db.query(
      """
      INSERT INTO measure_links (measure_id, kind, batch_id, item_ids, filter, linked_at)
      VALUES ($1, $2, $3, $4::bigint[], $5, $6)
      """,
      [
        measure, link.kind, batch, link.kind == "items" ? TextArray(itemIDs.map(String.init)) : nil, filter,
        at,
      ])
  }

  /// The links of the measures of one round (or all), by measure id; an `.items` link's items by
  /// their references.
  public func links(round: Int?) throws(DatabaseError) -> [Int64: MeasureLink] {
    var out: [Int64: MeasureLink] = [:]
    for row in try db.query(
      """
      SELECT l.measure_id, l.kind, l.batch_id, l.filter,
        (SELECT array_to_string(array_agg(i.ref ORDER BY i.ref), ' ') FROM items i WHERE i.id = ANY(l.item_ids))
          AS refs
      FROM measure_links l JOIN measures m ON m.id = l.measure_id
      WHERE $1::integer IS NULL OR m.round_id = $1
      """, [round])
    {
      let link: MeasureLink
      switch try row.decode("kind", as: String.self) {
      case "batch": link = .batch(try row.decode("batch_id"))
      case "items":
        link = .items(
          (try row.optional("refs", as: String.self) ?? "").split(separator: " ").map(String.init))
      default:
        guard let filter = try? CaseFilter.parse(try row.decode("filter", as: String.self)) else { continue }
        link = .filter(filter)
      }
      out[try row.decode("measure_id")] = link
    }
    return out
  }

  /// The item ids of these references; the missing ones are left out.
  public func itemIDs(refs: [String]) throws(DatabaseError) -> [String: Int64] {
    var out: [String: Int64] = [:]
    for row in try db.query("SELECT id, ref FROM items WHERE ref = ANY($1::text[])", [TextArray(refs)]) {
      out[try row.decode("ref")] = try row.decode("id")
    }
    return out
  }

  public func batchExists(_ id: Int64) throws(DatabaseError) -> Bool {
    try db.first("SELECT EXISTS (SELECT 1 FROM handover_batches WHERE id = $1) AS found", [id])!.decode(
      "found")
  }

  /// A link's figure as of `asOf`: the linked items received by then (duplicates apart) and those
  /// of them closed then, as the monthly report counts closures (item_closures).
  public func figure(_ link: MeasureLink, asOf: Date) throws(DatabaseError) -> LiveFigure {
    var filter = CaseFilter()
    var ids: TextArray?
    switch link {
    case .batch(let id): filter.batches = [id]
    case .items(let refs): ids = TextArray(try itemIDs(refs: refs).values.map(String.init))
    case .filter(let f): filter = f
    }
    func array(_ values: [String]) -> TextArray? { values.isEmpty ? nil : TextArray(values) }
    let row = try db.first(
      """
      SELECT count(*) AS total,
        count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM item_closures c WHERE c.item_id = i.id AND c.from_at <= $1
            AND (c.until_at IS NULL OR c.until_at > $1))) AS closed
      FROM items i LEFT JOIN units u ON u.id = i.unit_id
      WHERE i.received_at <= $1 AND i.state <> 'duplicate'
        AND ($2::bigint[] IS NULL OR i.id = ANY($2::bigint[]))
        AND ($3::text[] IS NULL OR i.kind = ANY($3::text[]))
        AND ($4::text[] IS NULL OR i.source = ANY($4::text[]))
        AND ($5::text[] IS NULL OR i.channel = ANY($5::text[]))
        AND ($6::text[] IS NULL OR i.category = ANY($6::text[]))
        AND ($7::text[] IS NULL OR u.name = ANY($7::text[]))
        AND ($8::bigint[] IS NULL OR i.batch_id = ANY($8::bigint[]))
      """,
      [
        asOf, ids, array(filter.kinds.map(\.rawValue)), array(filter.sources.map(\.rawValue)),
        array(filter.channels.map(\.rawValue)), array(filter.categories), array(filter.units),
        array(filter.batches.map(String.init)),
      ])!
    return LiveFigure(total: try row.decode("total"), closed: try row.decode("closed"))
  }

  // MARK: Letters

  /// Numbers and records a letter to a lagging unit, in its kind's yearly sequence; returns its number.
  public func issueLetter(
    year: Int, kind: String, unitID: Int, issuedAt: Date, issuedBy: String, refs: [String]
  ) throws(DatabaseError) -> Int {
    try db.query("SELECT pg_advisory_xact_lock($1)", [Int64(0x646F_636B_6574_2000) + Int64(year)])
    let next: Int = try db.first(
      "SELECT coalesce(max(number), 0) + 1 AS next FROM rectification_letters WHERE year = $1 AND kind = $2",
      [year, kind])!.decode("next")
    try db.query(
      """
      INSERT INTO rectification_letters (year, kind, number, unit_id, issued_at, issued_by, measure_refs)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      """, [year, kind, next, unitID, issuedAt, issuedBy, TextArray(refs)])
    return next
  }

  /// Public suggestions (the kind the envelope note 对…巡视整改情况的意见建议 and the mailbox's rule
  /// give) received from `since` to `asOf`, and those of them closed by `asOf`.
  public func suggestions(since: Date, asOf: Date) throws(DatabaseError) -> (received: Int, answered: Int) {
    let row = try db.first(
      """
      SELECT count(*) AS received,
        count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM item_closures c WHERE c.item_id = i.id AND c.from_at <= $2
            AND (c.until_at IS NULL OR c.until_at > $2))) AS answered
      FROM items i
      WHERE i.kind = 'suggestion' AND i.received_at >= $1 AND i.received_at <= $2 AND i.state <> 'duplicate'
      """, [since, asOf])!
    return (try row.decode("received"), try row.decode("answered"))
  }
}
