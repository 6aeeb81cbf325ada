import DocketCore
import Foundation
import ZIPFoundation

/// Writes a one-sheet workbook of text cells that Excel and WPS open: the smallest set of
/// Office Open XML parts, strings inline (no shared-string table to keep in step).
public enum XLSXWriter {
  /// - Parameter merges: ranges to merge (`A1:H1`), as an office's title row is.
  public static func workbook(sheetName: String, rows: [[String]], merges: [String] = []) throws(SheetError)
    -> [UInt8]
  {
    var sheet = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
    sheet += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
    sheet +=
      #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" state="frozen"/></sheetView></sheetViews><sheetData>"#
    for (index, row) in rows.enumerated() {
      sheet += "<row r=\"\(index + 1)\">"
      for (column, text) in row.enumerated() where !text.isEmpty {
        sheet +=
          "<c r=\"\(columnLetters(column))\(index + 1)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">"
        sheet += escaped(text) + "</t></is></c>"
      }
      sheet += "</row>"
    }
    sheet += "</sheetData>"
    if !merges.isEmpty {
      sheet += "<mergeCells count=\"\(merges.count)\">"
      for range in merges { sheet += "<mergeCell ref=\"\(escaped(range))\"/>" }
      sheet += "</mergeCells>"
    }
    sheet += "</worksheet>"
    let parts: [(String, String)] = [
      (
        "[Content_Types].xml",
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#
      ),
      (
        "_rels/.rels",
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
      ),
      (
        "xl/workbook.xml",
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""#
          + escaped(sheetName) + #"" sheetId="1" r:id="rId1"/></sheets></workbook>"#
      ),
      (
        "xl/_rels/workbook.xml.rels",
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
      ),
      ("xl/worksheets/sheet1.xml", sheet),
    ]
    do {
      let archive = try Archive(accessMode: .create)
      for (path, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(
          with: path, type: .file, uncompressedSize: Int64(data.count),
          modificationDate: Date(timeIntervalSince1970: 1_609_459_200),
          compressionMethod: .deflate
        ) { position, size in
          data.subdata(in: Int(position)..<Int(position) + size)
        }
      }
      guard let data = archive.data else { throw SheetError.malformed("the workbook could not be assembled") }
      return [UInt8](data)
    } catch let error as SheetError {
      throw error
    } catch {
      throw .malformed("the workbook could not be written: \(error)")
    }
  }

  /// XML text: markup escaped; characters XML 1.0 cannot hold (controls, U+FFFE, U+FFFF) written
  /// as Excel's `_xHHHH_`, and a `_` that could start such an escape written `_x005F_`.
  ///
  /// Found by fuzz/run.sh reading CSV, writing it as a workbook and reading that back: a cell
  /// holding the text `_x000D_` came back as a carriage return (in Excel too), and `_x0041`
  /// before a character written as an escape came back as `A`, the escape's `_` closing it; so a
  /// `_` before `x` and four hex digits is escaped whatever follows. U+FFFE and U+FFFF, which XML
  /// 1.0 cannot carry either, were written as they were: a workbook no XML reader opens.
  static func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    let scalars = text.unicodeScalars
    var index = scalars.startIndex
    while index < scalars.endIndex {
      let scalar = scalars[index]
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\t", "\n": out.unicodeScalars.append(scalar)
      case "\r": out += "_x000D_"
      case "\u{00}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": out += String(format: "_x%04X_", scalar.value)
      case "_" where startsEscape(scalars[index...]): out += "_x005F_"
      default: out.unicodeScalars.append(scalar)
      }
      index = scalars.index(after: index)
    }
    return out
  }

  /// Whether the text starts as an escape does: `_x` and four hex digits.
  private static func startsEscape(_ text: Substring.UnicodeScalarView) -> Bool {
    var iterator = text.makeIterator()
    guard iterator.next() == "_", iterator.next() == "x" else { return false }
    for _ in 0..<4 {
      guard let digit = iterator.next(), digit.properties.isASCIIHexDigit else { return false }
    }
    return true
  }
}
