import DocketSheets
import Foundation

// A libFuzzer target for the CSV reader: arbitrary bytes read as a handover list with the encoding
// detected, as UTF-8 and as GB18030, each with the whole table and row by row.
//
// Built only by fuzz/run.sh (DOCKET_FUZZ=1, `-sanitize=fuzzer,address`). Besides crashes, hangs
// and memory blow-ups, it checks that a refusal is a sentence, that rows are numbered 1, 2, 3 … as
// Excel shows them, that the streaming and the whole-table reads agree, and that a table read from
// CSV survives being written as a workbook and read back.

/// libFuzzer's driver, run from this `main`: SwiftPM renames an executable's entry point (to
/// `CSVFuzz_main`, so that tests can link it), which leaves libFuzzer's own `main` unused.
@main
enum CSVFuzzMain {
  static func main() {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, csvFuzzOneInput))
  }
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

@_cdecl("LLVMFuzzerTestOneInput")
public func csvFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  var detected: Sheet?
  for encoding in [nil, CSVEncoding.utf8, .gb18030] {
    let sheet: Sheet
    do {
      sheet = try CSVReader.read(bytes, encoding: encoding)
    } catch {
      require(!error.description.isEmpty, "an empty refusal")
      continue
    }
    require(sheet.rows.map(\.number) == Array(1..<(sheet.rows.count + 1)), "rows numbered out of order")
    var streamed: [SheetRow] = []
    do {
      try CSVReader.forEachRow(bytes, encoding: encoding) { streamed.append($0) }
    } catch {
      fatalError("the table was read whole but not row by row: \(error)")
    }
    require(Array(streamed.prefix(sheet.rows.count)) == sheet.rows, "streaming and whole reads differ")
    if encoding == nil { detected = sheet }
  }
  if let detected { roundTrip(detected) }
  return 0
}

/// The rows as a workbook (as `docket export` writes one) and read back: the same texts.
private func roundTrip(_ sheet: Sheet) {
  let rows = sheet.rows.map { row in
    row.cells.map { cell -> String in
      if case .text(let text) = cell { return text }
      return cell.text
    }
  }
  let workbook: [UInt8]
  do {
    workbook = try XLSXWriter.workbook(sheetName: "清单", rows: rows)
  } catch {
    fatalError("a table read from CSV cannot be written as a workbook: \(error)")
  }
  let back: Sheet
  do {
    back = try XLSXReader.read(workbook)
  } catch {
    fatalError("a workbook docket wrote cannot be read back: \(error)")
  }
  require(visible(back.rows) == visible(sheet.rows), "a workbook docket wrote reads back different")
}

/// What a person sees: each row's cell texts without trailing blank cells, without trailing blank rows.
private func visible(_ rows: [SheetRow]) -> [[String]] {
  var texts = rows.map { row -> [String] in
    var cells = row.cells.map(\.text)
    while cells.last?.isEmpty == true { cells.removeLast() }
    return cells
  }
  while texts.last?.isEmpty == true { texts.removeLast() }
  return texts
}

/// A property the target checks: a failure stops the run with the sentence (which `precondition`
/// drops in an optimized build) and libFuzzer keeps the input.
func require(_ condition: Bool, _ message: @autoclosure () -> String = "") {
  if !condition { fatalError(message()) }
}
