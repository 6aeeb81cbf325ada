import DocketSheets

/// Rows of text cells written as a file a person opens in Excel: an export of the ledger, or the
/// rejected rows of a handover list to fix and import again.
public enum Spreadsheet: String, Sendable, CaseIterable {
  /// UTF-8 with a byte-order mark and CRLF, which Excel opens as UTF-8 rather than the system's
  /// code page.
  case csv
  /// An Office Open XML workbook of one sheet.
  case xlsx

  /// A CSV file's text, for a front end that writes it out itself.
  public static func csvText(_ rows: [[String]]) -> String { CSVWriter.document(rows) }

  /// The file's bytes; `sheetName` names an XLSX workbook's one sheet.
  public func document(_ rows: [[String]], sheetName: String = "Sheet1") throws(DocketError) -> [UInt8] {
    switch self {
    case .csv: return Array(Self.csvText(rows).utf8)
    case .xlsx:
      do { return try XLSXWriter.workbook(sheetName: sheetName, rows: rows) } catch {
        throw .invalid("The workbook could not be written: \(error.description).")
      }
    }
  }
}
