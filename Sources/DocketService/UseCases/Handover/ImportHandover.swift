import Crypto
import DocketCore
import DocketSheets
import DocketStore
import Foundation

/// A handover list to import and what applies to its rows.
public struct HandoverRequest: Sendable {
  /// The file's name, for messages and the batch record.
  public var fileName: String
  public var bytes: [UInt8]
  /// CSV's encoding when detection should not decide, as typed (`--encoding utf-8`, `gbk`): read
  /// by the import, which says which labels it knows.
  public var encoding: String?
  /// The XLSX sheet to read (default the first).
  public var sheet: String?
  /// The kind of rows without a 种类 column or value.
  public var kind: Kind?
  public var source: Source = .inspection
  /// Who handed the list over (省委第一巡视组).
  public var handedOverBy: String
  /// The day the list was handed over (default today in the office): part of the batch's identity.
  public var handoverDate: CivilDate?
  /// Import the valid rows and return the others, instead of importing nothing.
  public var partial = false
  /// Check everything and write nothing.
  public var dryRun = false

  public init(fileName: String, bytes: [UInt8], handedOverBy: String) {
    self.fileName = fileName
    self.bytes = bytes
    self.handedOverBy = handedOverBy
  }
}

/// What an import did.
public struct HandoverResult: Sendable {
  public enum Outcome: Sendable, Equatable {
    case imported(batchID: Int64)
    /// The same list was imported before: nothing was created.
    case alreadyImported(batchID: Int64, at: Date)
    case checked
  }

  public var outcome: Outcome
  public var items: Int
  public var firstRef: String?
  public var lastRef: String?
  /// Rows refused (only with `partial`), each with its problems, and the header row, for a rejects file.
  public var rejected: [(row: [String], problems: [CellProblem])]
  public var header: [String]
  /// The spreadsheet row taken as the header (the lower of a two-row header).
  public var headerRow: Int
  /// Headers that name no field: their columns were not read.
  public var unknownColumns: [String]
}

/// Why a list was not imported: every problem found, with file, row and column.
public struct HandoverRefusal: Sendable, CustomStringConvertible {
  public var fileName: String
  public var problems: [CellProblem]

  public var description: String {
    let shown = problems.prefix(20).map { "  \(fileName): \($0)" }.joined(separator: "\n")
    let more = problems.count > 20 ? "\n  … and \(problems.count - 20) more" : ""
    return
      "\(fileName) was not imported: \(problems.count) problem(s). Nothing was written; fix them and import it again, or give --partial --rejects FILE to import the valid rows.\n\(shown)\(more)"
  }
}

extension Docket {
  /// Imports an inspection team's handover list as one batch, in one transaction: checked whole
  /// first, then every item, its journal event and the batch's, its clocks and report periods.
  public func importHandover(_ request: consuming HandoverRequest, actor login: String?) throws(DocketError)
    -> HandoverResult
  {
    let actor = try actor(login)
    try require(actor, .register, "import handover lists")
    let handedOverBy = request.handedOverBy.trimmingCharacters(in: .whitespaces)
    guard !handedOverBy.isEmpty else {
      throw .invalid("Say who handed the list over with --from (for example 省委第一巡视组).")
    }
    let now = now()
    let today = CivilDate(office.time.dayString(now))!
    let handoverDate = request.handoverDate ?? today
    guard handoverDate <= today else {
      throw .invalid(
        "The handover date \(handoverDate) is in the future; give the day the list was handed over.")
    }
    let digest = Array(SHA256.hash(data: request.bytes))
    let list = try checkedList(request, handoverDate: handoverDate)
    // The file's bytes are not needed again; a large list should not be held twice.
    request.bytes = []
    let (rows, rejected) = (list.rows, list.rejected)
    if !rejected.isEmpty && !request.partial {
      throw .invalid(
        HandoverRefusal(fileName: request.fileName, problems: rejected.flatMap(\.problems)).description)
    }
    var result = HandoverResult(
      outcome: .checked, items: rows.count, rejected: rejected, header: list.header,
      headerRow: list.headerRow,
      unknownColumns: list.unknownColumns)
    guard !request.dryRun else { return result }
    guard !rows.isEmpty else {
      throw .invalid("\(request.fileName) has no valid row to import; nothing was written.")
    }

    return try transaction { () throws(DocketError) in
      let handover = HandoverRepository(db)
      if let earlier = try store({
        try handover.batch(source: request.source.rawValue, handoverDate: handoverDate, sha256: digest)
      }) {
        result.outcome = .alreadyImported(batchID: earlier.id, at: earlier.importedAt)
        result.items = 0
        return result
      }
      let batchID = try store {
        try handover.insertBatch(
          source: request.source.rawValue, handedOverBy: handedOverBy, handoverDate: handoverDate,
          fileName: request.fileName, sha256: digest, items: rows.count, rejected: rejected.count, at: now,
          by: actor.login)
      }
      let refs = try registerBatch(rows, batchID: batchID, actor: actor)
      try journal(
        item: nil, actor: actor.login,
        .handoverImported(
          .init(
            batch: String(batchID), source: request.source, from: handedOverBy,
            handoverDate: handoverDate.description, items: rows.count, rejected: rejected.count,
            sha256: digest.hex)), at: now)
      result.outcome = .imported(batchID: batchID)
      result.firstRef = refs.first
      result.lastRef = refs.last
      return result
    }
  }

  /// The list read and every row checked as it is read: only the checked rows, which share the
  /// file's text, are kept for the transaction. Rows are checked a chunk at a time on a second
  /// thread while the rows after them are read (``Pipeline``).
  private func checkedList(_ request: HandoverRequest, handoverDate: CivilDate) throws(DocketError) -> (
    header: [String], headerRow: Int, rows: [HandoverRow],
    rejected: [(row: [String], problems: [CellProblem])],
    unknownColumns: [String]
  ) {
    let encoding = try Self.encoding(request.encoding)
    let setting = try store { try SettingsRepository(db).value("handover_columns") } ?? ""
    let columns: HandoverColumns
    do { columns = try HandoverColumns(setting: setting) } catch { throw .from(error) }
    var header: [String]?
    var layout = HandoverLayout()
    var refusal: DocketError?
    var rows: [HandoverRow] = []
    var rejected: [(row: [String], problems: [CellProblem])] = []
    var date1904 = false
    // Made once the header row is read; the rows after it are checked on its second thread.
    var checking: Pipeline<[HandoverInputRow], [CheckedRow], Never>?
    var unchecked: [HandoverInputRow] = []
    func keep(_ checked: [CheckedRow]) {
      for entry in checked {
        if let row = entry.row {
          rows.append(row)
        } else if !entry.problems.isEmpty {
          rejected.append((entry.cells, entry.problems))
        }
      }
    }

    // The header is found below a title block, perhaps across two rows (``HeaderSearch``).
    var search = HeaderSearch<HandoverLayout>(
      read: { names in
        let layout = columns.map(names)
        return layout.missing.isEmpty ? layout : nil
      }, fields: { $0.columns.count })
    var merges: [String] = []
    var headerRow = 0
    func missing(_ row: Int, _ names: [String]) -> DocketError {
      .invalid(
        "\(request.fileName), row \(row): no column for \(columns.map(names).missing.map(\.label).joined(separator: ", ")), nor in any of the first \(HeaderSearch<HandoverLayout>.depth) rows; the header row must name it (headers: \(HandoverField.allCases.map(\.label).joined(separator: ", ")), or an office's own in the setting handover_columns)."
      )
    }

    // Settles the header once found: refuses a merged or repeated column, else starts checking.
    func settle(_ number: Int, _ names: [String], _ found: HandoverLayout) {
      (header, layout, headerRow) = (names, found, number)
      if let range = Sheet.mergedAcross(row: number, in: merges) {
        refusal = .invalid(
          "\(request.fileName), row \(number) (the header): \(SheetError.mergedHeader(range).description)."
        )
        return
      }
      if let (field, first, second) = layout.repeated.first {
        refusal = .invalid(
          "\(request.fileName), row \(number): the columns '\(first)' and '\(second)' both hold \(field.label); keep one."
        )
        return
      }
      var defaults = HandoverDefaults(
        kind: request.kind, source: request.source, time: office.time,
        latest: office.time.start(of: handoverDate.adding(days: 1)))
      defaults.date1904 = date1904
      checking = Pipeline(state: HandoverChecker(layout: layout, defaults: defaults)) {
        (checker, inputs: [HandoverInputRow]) in
        inputs.map { input in
          let (row, problems) = checker.check(input)
          return CheckedRow(cells: row == nil ? input.cells : [], row: row, problems: problems)
        }
      }
    }

    func take(_ sheetRow: SheetRow) {
      guard refusal == nil else { return }
      if checking == nil {
        switch search.offer(sheetRow) {
        case .notYet: return
        case .none(let first, let firstNames):
          refusal = missing(first, firstNames)
          return
        case .header(let number, let names, let found):
          settle(number, names, found)
          return
        case .headerAbove(let number, let names, let found):
          // The header was the row above; this row is the first letter.
          settle(number, names, found)
          guard refusal == nil else { return }
        }
      }
      unchecked.append(HandoverInputRow(number: sheetRow.number, cells: sheetRow.cells.map(\.text)))
      if unchecked.count == Self.checkChunk {
        if let checked = checking?.submit(unchecked) { keep(checked) }
        unchecked = []
      }
    }

    do throws(SheetError) {
      if Self.isWorkbook(request) {
        let sheet = try XLSXReader.read(request.bytes, sheet: request.sheet)
        date1904 = sheet.date1904
        merges = sheet.merges
        for row in sheet.rows { take(row) }
      } else {
        try CSVReader.forEachRow(request.bytes, encoding: encoding, take)
      }
    } catch {
      throw .invalid("\(request.fileName): \(error.description).")
    }
    if refusal == nil, checking == nil, let (number, names, found) = search.finish() {
      settle(number, names, found)
    }
    if refusal == nil, checking == nil, let (first, names) = search.firstRow {
      refusal = missing(first, names)
    }
    if let refusal { throw refusal }
    if !unchecked.isEmpty, let checked = checking?.submit(unchecked) { keep(checked) }
    while let checked = checking?.next() { keep(checked) }
    guard let header else {
      throw .invalid("\(request.fileName) has no rows: it needs a header row and one row per letter.")
    }
    return (header, headerRow, rows, rejected, layout.unknown)
  }

  /// Rows checked at a time on the second thread.
  static let checkChunk = 2_000

  /// A row as checked: the row to register, or its problems and its cells for a rejects file.
  private struct CheckedRow: Sendable {
    var cells: [String]
    var row: HandoverRow?
    var problems: [CellProblem]
  }

  /// The CSV encoding a person named, if any.
  private static func encoding(_ label: String?) throws(DocketError) -> CSVEncoding? {
    guard let label else { return nil }
    guard let encoding = CSVEncoding(label: label) else {
      throw .usage(
        "The encoding '\(label)' is not one docket reads; give utf-8 or gb18030 (gbk and gb2312 are read as gb18030)."
      )
    }
    return encoding
  }

  /// XLSX (a zip archive; an old .xls is named as such by the reader) rather than CSV.
  private static func isWorkbook(_ request: HandoverRequest) -> Bool {
    request.bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
      || request.bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0])
      || request.fileName.lowercased().hasSuffix(".xlsx")
  }

}
