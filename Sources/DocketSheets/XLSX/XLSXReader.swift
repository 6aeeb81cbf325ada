import Foundation

/// Excel workbooks (.xlsx, Office Open XML) as Excel, WPS and the usual export libraries write
/// them: one worksheet read into rows of cells, with values as stored (numbers as written, so that
/// a date column can read Excel's serial numbers), not as formatted for display.
public enum XLSXReader {
  /// Reads one worksheet of the workbook in `bytes`.
  ///
  /// - Parameter sheet: the sheet's name as on its tab (exact, else ignoring case); nil for the
  ///   first sheet in tab order that is not hidden.
  /// - Throws: `.notWorkbook` for anything but an .xlsx (an old .xls, a CSV, a Word file);
  ///   `.noSuchSheet` listing the sheets there are; `.tooLarge` for a zip bomb or an archive far
  ///   beyond a handover list; `.malformed` for a damaged workbook. Merged ranges are returned,
  ///   not judged: the reader does not know which row is the header (``HeaderSearch`` does).
  public static func read(_ bytes: [UInt8], sheet: String? = nil) throws(SheetError) -> Sheet {
    try read(bytes, sheet: sheet, limits: Limits())
  }

  /// The limits on what an archive may expand to; tests lower them.
  struct Limits {
    /// Per member, declared and actually inflated. A 200,000-row list's sheet is about 100 MB.
    var memberBytes = 256 * 1024 * 1024
    var members = 10_000
    /// Cells kept, gaps included: an `r="XFD1048576"` costs a few bytes of XML but would
    /// otherwise fill a billion cells.
    var cells = 10_000_000
  }

  static func read(_ bytes: [UInt8], sheet wanted: String?, limits: Limits) throws(SheetError) -> Sheet {
    let package = try XLSXPackage(bytes, limits: limits)
    guard let workbookPath = try package.workbookPath() else { throw .notWorkbook(package.whatItIs()) }
    let relationships = try package.relationships(of: workbookPath)

    let workbook = WorkbookParser()
    try parse(try package.member(workbookPath), part: workbookPath, with: workbook)
    // Chart sheets and dialog sheets have tabs too, but no cells: only worksheets can be read.
    let sheets = workbook.sheets.compactMap { entry -> (name: String, path: String, hidden: Bool)? in
      guard let target = relationships[entry.id], target.type.hasSuffix("/worksheet") else { return nil }
      return (entry.name, target.path, entry.hidden)
    }
    guard !sheets.isEmpty else { throw .malformed("\(workbookPath) lists no worksheets") }

    let chosen: (name: String, path: String, hidden: Bool)
    if let wanted {
      guard
        let match = sheets.first(where: { $0.name == wanted })
          ?? sheets.first(where: { $0.name.caseInsensitiveCompare(wanted) == .orderedSame })
      else { throw .noSuchSheet(wanted, available: sheets.map(\.name)) }
      chosen = match
    } else {
      // The first tab a person sees: a hidden first sheet is usually a lookup list.
      chosen = sheets.first(where: { !$0.hidden }) ?? sheets[0]
    }

    var strings: [String] = []
    let stringsPath =
      relationships.values.first(where: { $0.type.hasSuffix("/sharedStrings") })?.path
      ?? (package.contains("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : nil)
    if let stringsPath, package.contains(stringsPath) {
      let parser = SharedStringsParser()
      try parse(try package.member(stringsPath), part: stringsPath, with: parser)
      strings = parser.strings
    }

    guard package.contains(chosen.path) else {
      throw .malformed("sheet '\(chosen.name)' should be in \(chosen.path), which is missing")
    }
    let worksheet = WorksheetParser(part: chosen.path, strings: strings, cellLimit: limits.cells)
    try parse(try package.member(chosen.path), part: chosen.path, with: worksheet)
    var rows = worksheet.rows
    while rows.last?.isBlank == true { rows.removeLast() }

    for range in worksheet.merges where mergedRows(range) == nil {
      throw .malformed("\(chosen.path) has a merged range '\(range)' that is not a cell range")
    }
    // A one-cell "merge" hides nothing; Excel leaves them behind after unmerging in some versions.
    let merges = worksheet.merges.filter { !isSingleCell($0) }
    return Sheet(name: chosen.name, rows: rows, date1904: workbook.date1904, merges: merges)
  }

  /// The first and last row of a merged range such as `A1:C2` (or a lone `B3`).
  static func mergedRows(_ range: String) -> (Int, Int)? {
    let ends = range.split(separator: ":", omittingEmptySubsequences: false)
    guard ends.count == 1 || ends.count == 2 else { return nil }
    guard let first = CellReference(ends[0].utf8), let last = CellReference(ends[ends.count - 1].utf8),
      first.row > 0, last.row > 0
    else { return nil }
    return (min(first.row, last.row), max(first.row, last.row))
  }

  /// Whether a range such as `A3:A4` stays within one column.
  static func isSingleColumn(_ range: String) -> Bool {
    let ends = range.split(separator: ":")
    guard ends.count == 2, let first = CellReference(ends[0].utf8), let last = CellReference(ends[1].utf8)
    else { return true }
    return first.column == last.column
  }

  static func isSingleCell(_ range: String) -> Bool {
    let ends = range.split(separator: ":")
    return ends.count == 1 || ends[0].uppercased() == ends[1].uppercased()
  }
}
