/// A table read from a spreadsheet or CSV file: rows as the spreadsheet numbers them (the first
/// row is 1), each a list of cells from column A on.
public struct Sheet: Sendable, Equatable {
  /// The worksheet's name (XLSX), or nil for CSV.
  public var name: String?
  /// Trailing empty rows are dropped; empty rows in between are kept, so numbers stay true.
  public var rows: [SheetRow]
  /// Whether the workbook counts dates from 1904 (old Mac Excel): its serial numbers are then
  /// 1,462 days short of the usual ones.
  public var date1904: Bool
  /// The worksheet's merged ranges as it writes them (`A1:H1`); none for CSV.
  public var merges: [String]

  public init(name: String?, rows: [SheetRow], date1904: Bool = false, merges: [String] = []) {
    self.name = name
    self.rows = rows
    self.date1904 = date1904
    self.merges = merges
  }
}

public struct SheetRow: Sendable, Equatable {
  /// As the spreadsheet numbers it: 1 for the first row, counting a CSV record with line breaks
  /// inside a field as one row, as Excel shows it.
  public var number: Int
  public var cells: [SheetCell]

  public init(number: Int, cells: [SheetCell]) {
    self.number = number
    self.cells = cells
  }

  /// Whether every cell is empty or blank.
  public var isBlank: Bool { cells.allSatisfy(\.isBlank) }
}

/// One cell as stored: CSV gives text only; XLSX also numbers (as written in the file, so that a
/// date column can read an Excel serial number) and booleans.
public enum SheetCell: Sendable, Equatable {
  case empty
  case text(String)
  /// The number as the file writes it (`44467`, `44467.5`, `1.5E3`).
  case number(String)
  case bool(Bool)

  /// The text a person sees, trimmed of surrounding whitespace.
  public var text: String {
    switch self {
    case .empty: ""
    case .text(let text): Self.trimmed(text)
    case .number(let number): number
    case .bool(let value): value ? "TRUE" : "FALSE"
    }
  }

  public var isBlank: Bool { text.isEmpty }

  /// Without surrounding spaces, tabs, line breaks and the ideographic space (U+3000) people type
  /// in Chinese cells; checked by scalar, since a list has millions of cells.
  static func trimmed(_ text: String) -> String {
    let scalars = text.unicodeScalars
    func isSpace(_ scalar: Unicode.Scalar) -> Bool {
      scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "\u{3000}"
        || scalar == "\u{A0}"
    }
    guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else {
      return text
    }
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
    while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    return String(scalars[start..<end])
  }
}

/// Why a file could not be read as a table. Each says what the file is and what to do.
public enum SheetError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The bytes are not in the encoding given or detected.
  case encoding(String)
  /// A quoted field never closes: the file is cut off or a quote is stray.
  case unterminatedQuote(row: Int)
  /// Not a zip archive, or not a workbook inside.
  case notWorkbook(String)
  case noSuchSheet(String, available: [String])
  /// The header row has cells merged across columns, which hide which column is which.
  case mergedHeader(String)
  /// An archive member expands beyond the limit (a zip bomb, or a list far beyond a handover's size).
  case tooLarge(String)
  case malformed(String)

  public var description: String {
    switch self {
    case .encoding(let why): why
    case .unterminatedQuote(let row):
      "row \(row) opens a quoted field that never closes; the file may be cut off, or a quote (\") is stray: double it (\"\") inside a quoted field"
    case .notWorkbook(let why): "it is not an Excel workbook (.xlsx): \(why); save it as .xlsx or CSV"
    case .noSuchSheet(let name, let available):
      "it has no sheet named '\(name)'; its sheets are \(available.map { "'\($0)'" }.joined(separator: ", "))"
    case .mergedHeader(let range):
      "the header row has cells merged across columns (\(range)); unmerge them so that each column has its own header"
    case .tooLarge(let why): why
    case .malformed(let why): "the workbook is damaged: \(why)"
    }
  }
}
