import DocketCore
import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A worksheet part: `<sheetData>` into rows of cells, and the `<mergeCells>` ranges.
///
/// The delegate is called for every element of what may be millions of cells. Its state is one
/// struct, so that a call costs one exclusivity check on the class rather than one per field, and
/// it allocates per row, not per cell: a cell's value is the string the parser already made (or a
/// shared string, shared), and its row's array is sized from the previous row.
final class WorksheetParser: NSObject, PartHandler {
  private var sheet: SheetBuilder
  private(set) var failure: SheetError?
  private(set) var finished = false
  private var depth = 0

  /// From row 1 on, gaps filled with empty rows; trailing blank cells dropped.
  var rows: [SheetRow] { sheet.rows }
  /// As written, `A1:C1`.
  var merges: [String] { sheet.merges }

  init(part: String, strings: [String], cellLimit: Int) {
    sheet = SheetBuilder(part: part, strings: strings, cellLimit: cellLimit)
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String]
  ) {
    depth += 1
    if let error = sheet.start(elementName, attributes) { fail(error, parser) }
  }

  func parser(
    _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
  ) {
    depth -= 1
    if depth == 0 { finished = true }
    if let error = sheet.end(elementName) { fail(error, parser) }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    sheet.characters(string)
  }

  func parser(_ parser: XMLParser, foundCDATA block: Data) {
    sheet.characters(String(decoding: block, as: UTF8.self))
  }

  private func fail(_ error: SheetError, _ parser: XMLParser) {
    if failure == nil { failure = error }
    parser.abortParsing()
  }
}

/// The rows of a worksheet as its elements arrive.
private struct SheetBuilder {
  var rows: [SheetRow] = []
  var merges: [String] = []

  let part: String
  let strings: [String]
  let cellLimit: Int
  var cellCount = 0
  var inSheetData = false

  var inRow = false
  var rowNumber = 0
  var cells: [SheetCell] = []
  var nextColumn = 0
  var lastWidth = 0

  enum Kind { case number, shared, inline, formulaText, bool, error, other }
  var inCell = false
  var inInline = false
  var kind = Kind.number
  var column = 0
  var capturing = false
  var hasValue = false
  var phonetic = 0
  var text = ""

  init(part: String, strings: [String], cellLimit: Int) {
    self.part = part
    self.strings = strings
    self.cellLimit = cellLimit
  }

  mutating func start(_ element: String, _ attributes: [String: String]) -> SheetError? {
    switch element {
    case "c" where inRow: return startCell(attributes)
    case "v" where inCell && !inInline:
      capturing = kind != .inline
      hasValue = hasValue || capturing
    case "t" where inInline && phonetic == 0:
      capturing = true
      hasValue = true
    case "is" where inCell: inInline = kind == .inline
    case "rPh": phonetic += 1
    case "row" where inSheetData: return startRow(attributes)
    case "sheetData": inSheetData = true
    case "mergeCell": if let range = attributes["ref"] { merges.append(range) }
    default: break
    }
    return nil
  }

  mutating func end(_ element: String) -> SheetError? {
    switch element {
    case "v", "t": capturing = false
    case "c" where inCell: return endCell()
    case "is": inInline = false
    case "rPh": phonetic -= 1
    case "row" where inRow: endRow()
    case "sheetData": inSheetData = false
    default: break
    }
    return nil
  }

  mutating func characters(_ string: String) {
    // Appending to an empty string adopts the parser's string, without a copy.
    if capturing { text += string }
  }

  mutating func startRow(_ attributes: [String: String]) -> SheetError? {
    // A row inside a row would be numbered as if it were the first again (every row of
    // `<row><row>…` came out as row 1), and the cells of the two mixed.
    guard !inRow else { return .malformed("its part \(part) has a row inside row \(rowNumber)") }
    // Rows are numbered from 1 and kept contiguous, so the last number is the count.
    var number = rows.count + 1
    if let written = attributes["r"] {
      guard let value = Int(written), value >= number, value <= CellReference.maxRow else {
        return .malformed("its part \(part) has a row numbered '\(written)' after row \(rows.count)")
      }
      number = value
    }
    while rows.count < number - 1 { rows.append(SheetRow(number: rows.count + 1, cells: [])) }
    inRow = true
    rowNumber = number
    nextColumn = 0
    cells.reserveCapacity(lastWidth)
    return nil
  }

  mutating func endRow() {
    while let last = cells.last, Self.isBlank(last) { cells.removeLast() }
    lastWidth = cells.count
    rows.append(SheetRow(number: rowNumber, cells: cells))
    cells = []
    inRow = false
  }

  mutating func startCell(_ attributes: [String: String]) -> SheetError? {
    inCell = true
    inInline = false
    hasValue = false
    capturing = false
    text = ""
    column = nextColumn
    kind = .number
    // One pass over the (two or three) attributes costs less than hashing for each.
    for (name, value) in attributes {
      switch name {
      case "r":
        guard let reference = CellReference(value.utf8), reference.column > 0 else {
          return .malformed("its part \(part) has a cell at '\(value)', which is not a cell reference")
        }
        column = reference.column - 1
      case "t":
        kind =
          switch value {
          case "n": .number
          case "s": .shared
          case "inlineStr": .inline
          case "str": .formulaText
          case "b": .bool
          case "e": .error
          default: .other  // "d", an ISO 8601 date (Strict OOXML), kept as written
          }
      default: break
      }
    }
    guard column < CellReference.maxColumn else {
      return .malformed("its part \(part) has a cell beyond column XFD in row \(rowNumber)")
    }
    nextColumn = column + 1
    return nil
  }

  mutating func endCell() -> SheetError? {
    inCell = false
    inInline = false
    capturing = false
    defer { text = "" }
    guard hasValue, !text.isEmpty || kind == .inline || kind == .formulaText else { return nil }
    let value: SheetCell
    switch kind {
    case .number: value = .number(text)
    case .inline, .formulaText: value = .text(decodeEscapes(text))
    case .error, .other: value = .text(text)
    case .shared:
      guard let index = Int(text), strings.indices.contains(index) else {
        return .malformed("its part \(part) refers to shared string \(text), which the workbook lacks")
      }
      value = .text(strings[index])
    case .bool:
      switch text {
      case "1", "true": value = .bool(true)
      case "0", "false": value = .bool(false)
      default: return .malformed("its part \(part) has '\(text)' as a boolean in row \(rowNumber)")
      }
    }
    if case .text(let text) = value, text.utf8.contains(0) {
      // Excel's escape `_x0000_` decodes to U+0000, which PostgreSQL text cannot hold: such a
      // list failed at the database, mid-import. It is refused here, naming the cell.
      return .encoding(
        "row \(rowNumber), column \(columnLetters(column)) holds a NUL character (written _x0000_), which no text can hold; delete it in Excel"
      )
    }
    if column < cells.count {
      cells[column] = value
      return nil
    }
    // Gaps are filled only up to a value: a styled but empty cell far to the right costs nothing.
    cellCount += column - cells.count + 1
    guard cellCount <= cellLimit else {
      return .tooLarge(
        "it is too large to read: the sheet has more than \(grouped(cellLimit)) cells, far more than a handover list"
      )
    }
    while cells.count < column { cells.append(.empty) }
    cells.append(value)
    return nil
  }

  /// `SheetCell.isBlank` without trimming (a copy) for every row's last cell.
  static func isBlank(_ cell: SheetCell) -> Bool {
    switch cell {
    case .empty: true
    case .number, .bool: false
    case .text(let text):
      text.isEmpty
        || (text.unicodeScalars.first.map(CharacterSet.whitespacesAndNewlines.contains) == true
          && cell.isBlank)
    }
  }
}

/// `C5`, `$C$5`, `C` or `5` as column and row numbers from 1 (0 where absent).
struct CellReference {
  static let maxColumn = 16_384  // XFD
  static let maxRow = 1_048_576

  var column = 0
  var row = 0

  init?(_ text: some Collection<UInt8>) {
    var iterator = text.makeIterator()
    var byte = iterator.next()
    if byte == UInt8(ascii: "$") { byte = iterator.next() }
    while let letter = byte, let value = Self.letter(letter) {
      column = column * 26 + value
      guard column <= Self.maxColumn else { return nil }
      byte = iterator.next()
    }
    if byte == UInt8(ascii: "$") { byte = iterator.next() }
    while let digit = byte, digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") {
      row = row * 10 + Int(digit - UInt8(ascii: "0"))
      guard row <= Self.maxRow else { return nil }
      byte = iterator.next()
    }
    guard byte == nil, column > 0 || row > 0 else { return nil }
  }

  private static func letter(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A")) + 1
    case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a")) + 1
    default: nil
    }
  }
}
