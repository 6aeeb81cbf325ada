import Crypto
import DocketCore
import DocketSheets
import DocketStore
import Foundation

/// A rectification plan to import: the file's bytes and name, the round it belongs to.
public struct PlanRequest: Sendable {
  public var fileName: String
  public var bytes: [UInt8]
  public var round: Int
  /// Check everything and write nothing.
  public var dryRun = false
  /// For CSV: utf-8 or gb18030 (default: detected).
  public var encoding: String?
  /// The plan's effective time (`--at`): a plan entered after the fact counts from when it was
  /// adopted; nil means now.
  public var at: Date?

  public init(fileName: String, bytes: [UInt8], round: Int) {
    self.fileName = fileName
    self.bytes = bytes
    self.round = round
  }
}

/// What a plan import loaded (or, in a dry run, would load).
public struct PlanImport: Sendable {
  public var round: Int
  /// The spreadsheet row taken as the header (the last of a two-row header).
  public var headerRow: Int
  public var aspects: Int
  public var problems: Int
  public var measures: Int
  public var dryRun: Bool
}

extension Docket {
  /// Adds a round of rectification (one inspection's feedback), journaled; returns it.
  public func addRound(
    name: String, team: String, feedbackDate: String, reportDue: String?, actor login: String?
  ) throws(DocketError) -> RectificationRound {
    let actor = try actor(login)
    try require(actor, .manageRectification, "add a rectification round")
    let name = try required(name, "the round's name")
    let team = try required(team, "the inspection team (--team)")
    guard let feedback = CivilDate(feedbackDate) else {
      throw .invalid("The feedback date '\(feedbackDate)' is not a date; write it as 2021-06-28.")
    }
    var due: CivilDate?
    if let reportDue {
      guard let date = CivilDate(reportDue), date >= feedback else {
        throw .invalid("The report's due date '\(reportDue)' is not a date on or after the feedback date.")
      }
      due = date
    }
    return try transaction { () throws(DocketError) in
      let repository = RectificationRepository(db)
      let id: Int
      do throws(DatabaseError) {
        id = try repository.addRound(
          name: name, team: team, feedbackDate: feedback, reportDue: due, at: now())
      } catch  where error.sqlState == SQLState.uniqueViolation {
        throw .refused(
          "There is a round named \(name) already; 'docket rectify list' shows the rounds' measures.")
      } catch { throw .database(error) }
      try journal(
        item: nil, actor: actor.login, .rectificationRoundAdded(round: String(id), name: name), at: now())
      return RectificationRound(id: id, name: name, team: team, feedbackDate: feedback, reportDue: due)
    }
  }

  /// Imports a round's plan (整改任务清单) from CSV or XLSX, all or nothing: every problem is named by
  /// row, column and header, and nothing is written while any remains. The header row is found by
  /// its column names within the first rows, below a title block; a two-row header (责任 over
  /// 牵头领导 | 责任单位) is read as one. Lead leaders are staff logins or names; units must be known.
  public func importPlan(_ request: PlanRequest, actor login: String?) throws(DocketError) -> PlanImport {
    let actor = try actor(login)
    try require(actor, .manageRectification, "import a rectification plan")
    let sheet = try Self.sheet(request)
    let rows = sheet.rows
    let (headerRow, layout, dataStart) = try Self.planHeader(sheet, fileName: request.fileName)
    var checker = PlanChecker(layout: layout)
    var plan: [PlanRow] = []
    var problems: [CellProblem] = []
    for row in rows[dataStart...] {
      let (checked, found) = checker.check(row: row.number, cells: row.cells.map(\.text))
      if let checked { plan.append(checked) }
      problems += found
    }
    let staff = try store { try StaffRepository(db).all() }
    let units = try unitIDs()
    var measures: [NewMeasure] = []
    for row in plan {
      func problem(_ field: PlanField, _ text: String) {
        problems.append(layout.problem(row: row.row, field, text))
      }
      let leaders = staff.filter { $0.active && ($0.login == row.lead || $0.name == row.lead) }
      if leaders.count != 1 {
        problem(
          .lead,
          leaders.isEmpty
            ? "'\(row.lead)' is no active staff member's login or name; add them with 'docket staff add', or write their login"
            : "'\(row.lead)' is the name of \(leaders.count) staff members; write the login instead")
      }
      let unknown = row.units.filter { units[$0] == nil }
      if !unknown.isEmpty {
        problem(
          .units,
          "\(unknown.joined(separator: "、")) is not a known unit; add it with 'docket unit add' or correct the name"
        )
      }
      guard leaders.count == 1, unknown.isEmpty else { continue }
      measures.append(
        NewMeasure(
          aspect: row.aspect, problem: row.problem, number: row.number, text: row.measure,
          leadID: leaders[0].id,
          category: row.category, target: row.target, unitIDs: row.units.compactMap { units[$0] }))
    }
    if !problems.isEmpty {
      let shown = problems.sorted { ($0.row, $0.column) < ($1.row, $1.column) }.prefix(50)
      throw .invalid(
        "\(request.fileName): nothing was imported; correct these and import it again:\n"
          + shown.map { "  \($0.description)" }.joined(separator: "\n")
          + (problems.count > 50 ? "\n  … and \(problems.count - 50) more" : ""))
    }
    guard !measures.isEmpty else { throw .invalid("\(request.fileName) has a header row and no measures.") }
    let aspects = Set(measures.map(\.aspect)).count
    let problemCount = Set(measures.map { "\($0.aspect)\u{1F}\($0.problem)" }).count
    let result = PlanImport(
      round: request.round, headerRow: headerRow, aspects: aspects, problems: problemCount,
      measures: measures.count, dryRun: request.dryRun)
    return try transaction { () throws(DocketError) in
      let repository = RectificationRepository(db)
      guard try store({ try repository.round(request.round) }) != nil else {
        throw .notFound("rectification round \(request.round); add it with 'docket rectify round add'")
      }
      guard try store({ try repository.measureCount(round: request.round) }) == 0 else {
        throw .refused("Round \(request.round) has its plan already; nothing was imported.")
      }
      guard !request.dryRun else { return result }
      let at = (request.at ?? now()).truncatedToMicroseconds
      guard at <= now().addingTimeInterval(300) else {
        throw .invalid("The effective time \(office.time.minuteString(at)) is in the future.")
      }
      _ = try store { try repository.addPlan(round: request.round, measures: measures, at: at) }
      try journal(
        item: nil, actor: actor.login,
        .planImported(
          round: String(request.round), aspects: aspects, problems: problemCount, measures: measures.count,
          sha256: Array(SHA256.hash(data: request.bytes)).hex), at: at)
      return result
    }
  }

  /// Every round of rectification, oldest first.
  public func rectificationRounds(actor login: String?) throws(DocketError) -> [RectificationRound] {
    try require(try actor(login), .readLedger, "read the rectification ledger")
    return try store { try RectificationRepository(db).rounds() }
  }

  /// The rectification ledger's measures: of one round, one responsible unit, one state, or all.
  public func measures(
    round: Int? = nil, unit: String? = nil, state: MeasureState? = nil, actor login: String?
  )
    throws(DocketError) -> [MeasureSummary]
  {
    let actor = try actor(login)
    try require(actor, .readLedger, "read the rectification ledger")
    var unitID: Int?
    if let unit {
      guard let id = try unitIDs()[unit] else {
        throw .notFound("unit \(unit); 'docket unit list' lists them")
      }
      unitID = id
    }
    // A handler works their own unit's measures, as row-level security has it on their own role.
    if !Permissions.seesAllUnits(actor.roles) {
      guard let own = actor.unitID, unitID == nil || unitID == own else { return [] }
      unitID = own
    }
    return try store { try RectificationRepository(db).measures(round: round, unitID: unitID, state: state) }
  }

  /// The file as a table: a workbook's first sheet, or a CSV.
  static func sheet(_ request: PlanRequest) throws(DocketError) -> Sheet {
    do throws(SheetError) {
      if request.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
        || request.fileName.lowercased().hasSuffix(".xlsx")
      {
        return try XLSXReader.read(request.bytes, sheet: nil)
      }
      var rows: [SheetRow] = []
      let encoding = request.encoding.flatMap(CSVEncoding.init(label:))
      try CSVReader.forEachRow(request.bytes, encoding: encoding) { rows.append($0) }
      return Sheet(name: nil, rows: rows)
    } catch {
      throw .invalid("\(request.fileName): \(error.description).")
    }
  }

  /// The header (``HeaderSearch``): the spreadsheet row taken as the header (the lower of a
  /// two-row header), its layout, and the index of the first data row.
  static func planHeader(_ sheet: Sheet, fileName: String) throws(DocketError) -> (Int, PlanLayout, Int) {
    func settled(_ number: Int, _ layout: PlanLayout, dataStart: Int) throws(DocketError) -> (
      Int, PlanLayout, Int
    ) {
      if let range = sheet.mergedAcross(row: number) {
        throw .invalid(
          "\(fileName), row \(number) (the header): \(SheetError.mergedHeader(range).description).")
      }
      return (number, layout, dataStart)
    }
    var search = HeaderSearch<PlanLayout>(
      read: { try? PlanLayout.read($0).get() }, fields: { $0.columns.count })
    for (index, row) in sheet.rows.enumerated() {
      switch search.offer(row) {
      case .notYet: continue
      case .header(let number, _, let layout):
        return try settled(number, layout, dataStart: index + 1)
      case .headerAbove(let number, _, let layout):
        return try settled(number, layout, dataStart: index)
      case .none(let first, let names): throw planHeaderMissing(fileName, first, names)
      }
    }
    if let (number, _, layout) = search.finish() {
      return try settled(number, layout, dataStart: sheet.rows.count)
    }
    if let (first, names) = search.firstRow { throw planHeaderMissing(fileName, first, names) }
    throw .invalid("\(fileName) is empty: it needs a header row and one row per measure.")
  }

  private static func planHeaderMissing(_ fileName: String, _ row: Int, _ names: [String]) -> DocketError {
    let missing: String
    switch PlanLayout.read(names) {
    case .failure(let error): missing = error.description
    case .success: missing = "no required column is missing"
    }
    return .invalid(
      "\(fileName): no row among the first \(HeaderSearch<PlanLayout>.depth) names every column a plan needs (row \(row), the first, has \(missing)); the headers are 序号, 方面, 问题, 整改措施, 牵头领导, 责任单位, 完成时限, 目标 (or number, aspect, problem, measure, lead, units, due, target)."
    )
  }
}
