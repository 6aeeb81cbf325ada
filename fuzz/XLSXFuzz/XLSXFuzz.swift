import DocketSheets
import Foundation

// A libFuzzer target for the XLSX reader.
//
// Arbitrary bytes are read as a workbook. Deflate hides the XML inside a real workbook from the
// fuzzer's mutations, so bytes that are not a zip archive are also packed, uncompressed, into one:
// split at NUL bytes into the worksheet, the shared strings, the workbook and the workbook's
// relationships (a part left out gets the ordinary one), so that the XML readers are fuzzed too.
//
// Built only by fuzz/run.sh (DOCKET_FUZZ=1, `-sanitize=fuzzer,address`). Besides crashes, hangs
// and memory blow-ups, it checks that a refusal is a sentence and that a table read is numbered as
// Excel numbers its rows.

/// libFuzzer's driver, run from this `main`: SwiftPM renames an executable's entry point (to
/// `XLSXFuzz_main`, so that tests can link it), which leaves libFuzzer's own `main` unused.
@main
enum XLSXFuzzMain {
  static func main() {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, xlsxFuzzOneInput))
  }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("LLVMFuzzerTestOneInput")
public func xlsxFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  read(bytes)
  if !bytes.starts(with: [0x50, 0x4B]) {
    let pieces = bytes.split(separator: 0, maxSplits: 3, omittingEmptySubsequences: false)
    var parts = defaultParts
    for (index, piece) in pieces.enumerated() { parts[index + 2].1 = Array(piece) }
    read(StoredZip.archive(parts))
  }
  return 0
}

private func read(_ bytes: [UInt8]) {
  for sheet in [nil, "Sheet1"] {
    do {
      let table = try XLSXReader.read(bytes, sheet: sheet)
      require(table.rows.map(\.number) == Array(1..<(table.rows.count + 1)), "rows numbered out of order")
      var seen = 0
      for row in table.rows { for cell in row.cells { seen &+= cell.text.utf8.count } }
      require(seen >= 0)
    } catch {
      require(!error.description.isEmpty, "an empty refusal")
    }
  }
}

/// The parts of a one-sheet workbook; the fuzzer's bytes replace them from the third on.
private let defaultParts: [(String, [UInt8])] = [
  (
    "[Content_Types].xml",
    Array(
      #"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>"#
        .utf8)
  ),
  (
    "_rels/.rels",
    Array(
      #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        .utf8)
  ),
  (
    "xl/worksheets/sheet1.xml",
    Array(
      #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>"#
        .utf8)
  ),
  (
    "xl/sharedStrings.xml",
    Array(
      #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>编号</t></si></sst>"#
        .utf8)
  ),
  (
    "xl/workbook.xml",
    Array(
      #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        .utf8)
  ),
  (
    "xl/_rels/workbook.xml.rels",
    Array(
      #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
        .utf8)
  ),
]

/// A zip archive of stored (uncompressed) members, as small as the format allows.
enum StoredZip {
  static func archive(_ members: [(String, [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var directory: [UInt8] = []
    for (name, data) in members {
      let offset = out.count
      let crc = crc32(data)
      let nameBytes = Array(name.utf8)
      // Local file header.
      out += le32(0x0403_4B50) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
      out += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
      out += le16(UInt16(nameBytes.count)) + le16(0) + nameBytes + data
      // Its central directory entry.
      directory += le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
      directory += le32(crc) + le32(UInt32(data.count)) + le32(UInt32(data.count))
      directory += le16(UInt16(nameBytes.count)) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0)
      directory += le32(UInt32(offset)) + nameBytes
    }
    let directoryOffset = out.count
    out += directory
    out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(UInt16(members.count)) + le16(UInt16(members.count))
    out += le32(UInt32(directory.count)) + le32(UInt32(directoryOffset)) + le16(0)
    return out
  }

  private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
  private static func le32(_ value: UInt32) -> [UInt8] {
    [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
  }

  private static let table: [UInt32] = (0..<256).map { index -> UInt32 in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
  }

  private static func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }
}

/// A property the target checks: a failure stops the run with the sentence (which `precondition`
/// drops in an optimized build) and libFuzzer keeps the input.
func require(_ condition: Bool, _ message: @autoclosure () -> String = "") {
  if !condition { fatalError(message()) }
}
