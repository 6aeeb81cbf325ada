import DocketCore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// A list as Excel saves "CSV UTF-8": a byte-order mark, CRLF, quotes where needed.
func handoverCSV(_ rows: [[String]], header: [String] = ["序号", "来信日期", "反映人", "联系电话", "种类", "问题类别", "内容摘要"])
  -> [UInt8]
{
  func field(_ text: String) -> String {
    text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
      ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
  }
  return [0xEF, 0xBB, 0xBF]
    + Array(([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\r\n").utf8)
}

@Suite("Importing an inspection team's handover list")
struct HandoverImportTests {
  let scene: Scene
  var d: Docket { scene.d }

  init() throws {
    scene = try Scene.make("handover", now: beijing("2021-09-28 12:00"))
  }

  func request(_ bytes: [UInt8], date: String = "2021-09-25", partial: Bool = false) -> HandoverRequest {
    var request = HandoverRequest(fileName: "移交清单.csv", bytes: bytes, handedOverBy: "省委第一巡视组")
    request.kind = .petition
    request.handoverDate = CivilDate(date)
    request.partial = partial
    return request
  }

  let good: [[String]] = [
    ["1", "2021-09-20", "张某", "13800138000", "", "涉警问题", "反映某派出所\"乱收费\"，\n且态度恶劣"],
    ["2", "2020-12-30", "", "", "检举控告", "其他", "反映某局长收受红包"],
    ["3", "2021/9/21", "", "", "", "涉黑涉恶", "反映黑恶势力"],
    ["4", "2021-09-22", "", "", "检举控告", "涉警问题", "反映某所长违规收费"],
  ]

  @Test(
    "a valid list becomes one batch: numbers in row order per year and kind, one event each, identity sealed")
  func imports() throws {
    let result = try d.importHandover(request(handoverCSV(good)), actor: "reg")
    guard case .imported(let batch) = result.outcome else {
      Issue.record("not imported: \(result.outcome)")
      return
    }
    #expect(result.items == 4)
    var query = LedgerQuery()
    query.batchID = batch
    let items = try d.list(query, actor: "aud")
    #expect(Set(items.map(\.ref)) == ["2021-XF-00001", "2020-JB-00001", "2021-XF-00002", "2021-JB-00001"])
    let first = try scene.reload("2021-XF-00001")
    #expect(first.item.channel == .handover)
    #expect(first.item.source == .inspection)
    #expect(first.item.summary == "反映某派出所\"乱收费\"，\n且态度恶劣")
    #expect(first.item.subject == "涉警问题（移交清单第1号）")
    #expect(first.item.reporterKind == .realName)
    #expect(first.events.map(\.event) == ["registered"])
    #expect(!first.clocks.isEmpty)
    #expect(
      try scene.test.person("boss").reveal("2021-XF-00001", reason: "核实", actor: nil).phone == "13800138000")
    #expect(try d.verifyJournal(actor: "aud").isIntact)
    // Numbers go on from the batch for the next item registered by hand.
    #expect(
      try scene.register(Office.call(kind: .petition, at: beijing("2021-09-28 09:00"))).ref == "2021-XF-00003"
    )
    // The report counts them.
    var monthly = MonthlyReportRequest(month: ReportMonth("2021-09")!)
    monthly.cohort = .all
    #expect(try d.monthlyReport(monthly, actor: "cm").totals.cohortReceived == 5)
  }

  @Test(
    "a list longer than one chunk of COPY: numbered straight through, every item with its event and clocks")
  func chunks() throws {
    // Three chunks, the last of one row; identities sealed in each (on the batch's second thread).
    let count = 2 * Docket.batchChunk + 1
    let rows = (1...count).map { n in
      let named = n % Docket.batchChunk == 1
      return [
        "\(n)", "2021-09-\(10 + n % 10)", named ? "张三" : "",
        named ? "1380013\(String(format: "%04d", n % 10_000))" : "",
        "", "其他", "反映问题第\(n)件",
      ]
    }
    let result = try d.importHandover(request(handoverCSV(rows)), actor: "reg")
    #expect(result.items == count)
    #expect(result.firstRef == "2021-XF-00001")
    let lastRef = String(format: "2021-XF-%05d", count)
    #expect(result.lastRef == lastRef)
    let last = try scene.reload(lastRef)
    #expect(last.item.summary == "反映问题第\(count)件")
    #expect(last.item.reporterKind == .realName)
    #expect(
      try scene.test.person("boss").reveal(lastRef, reason: "核实", actor: nil).phone
        == "1380013\(String(format: "%04d", count % 10_000))")
    #expect(last.events.map(\.event) == ["registered"])
    #expect(!last.clocks.isEmpty)
    #expect(try d.verifyJournal(actor: "aud").checked >= count)
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test("journal payloads are the canonical JSON the hash chain has always used (JSONEncoder's)")
  func payloads() throws {
    let fields: KeyValuePairs<String, String?> = [
      "quote": "他说\"乱收费\"", "slash": "a/b\\c", "lines": "一\n二\r\t三", "control": "\u{01}\u{1F}\u{08}\u{0C}",
      "chinese": "涉警问题", "absent": nil, "empty": "",
    ]
    let present = Dictionary(
      uniqueKeysWithValues: fields.compactMap { key, value in value.map { (key, $0) } })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    #expect(CanonicalJSON.object(fields) == String(decoding: try encoder.encode(present), as: UTF8.self))
  }

  @Test("one bad cell and nothing is written; the error names the file, row and column")
  func allOrNothing() throws {
    let bad =
      good + [
        ["5", "2021-09-31", "", "", "", "其他", "内容"], ["6", "2021-09-22", "李某", "12345", "", "其他", ""],
      ]
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try d.importHandover(request(handoverCSV(bad)), actor: "reg")
    }
    let text = error?.description ?? ""
    #expect(text.contains("移交清单.csv was not imported: 3 problem(s)"))
    #expect(text.contains("row 6, column B (来信日期): '2021-09-31' is not a date"))
    #expect(text.contains("row 7, column G (内容摘要): is empty"))
    #expect(text.contains("row 7, column D (联系电话): is not a phone number"))
    #expect(!text.contains("李某"))
    #expect(try d.list(LedgerQuery(), actor: "aud").isEmpty)
    #expect(
      try scene.register(Office.call(kind: .petition, at: beijing("2021-09-28 09:00"))).ref == "2021-XF-00001"
    )
  }

  @Test("--partial imports the valid rows and hands back the others with their problems")
  func partial() throws {
    let bad = good + [["5", "2021-09-31", "", "", "", "其他", "内容"]]
    let result = try d.importHandover(request(handoverCSV(bad), partial: true), actor: "reg")
    #expect(result.items == 4)
    #expect(result.rejected.count == 1)
    #expect(result.rejected.first?.row.first == "5")
    #expect(result.rejected.first?.problems.first?.column == "B")
  }

  @Test("the same list again creates nothing and says which batch it was")
  func reimport() throws {
    let bytes = handoverCSV(good)
    guard case .imported(let batch) = try d.importHandover(request(bytes), actor: "reg").outcome else {
      Issue.record("not imported")
      return
    }
    let again = try d.importHandover(request(bytes), actor: "reg")
    #expect(again.outcome == .alreadyImported(batchID: batch, at: beijing("2021-09-28 12:00")))
    #expect(try d.list(LedgerQuery(), actor: "aud").count == 4)
  }

  @Test("a list without a required column, or with a column twice, is refused before any row is read")
  func headerProblems() throws {
    let noDate = handoverCSV([["1", "内容"]], header: ["序号", "内容摘要"])
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try d.importHandover(request(noDate), actor: "reg")
    }
    #expect(error?.description.contains("row 1: no column for 来信日期/received") == true)
    let twice = handoverCSV([["2021-09-20", "2021-09-20", "内容"]], header: ["来信日期", "收信日期", "内容摘要"])
    let repeated = expectRefusal(.invalid) { () throws(DocketError) in
      try d.importHandover(request(twice), actor: "reg")
    }
    #expect(repeated?.description.contains("both hold 来信日期/received") == true)
  }

  @Test("a list saved by Excel as plain CSV on Chinese Windows (GB18030) is read")
  func gb18030() throws {
    let text = "来信日期,内容摘要\r\n2021-09-20,反映某镇干部违规收受礼金\r\n"
    let cf = text.data(using: String.Encoding(rawValue: 0x8000_0632))  // kCFStringEncodingGB_18030_2000
    let bytes = try #require(cf.map { [UInt8]($0) } ?? gbk(text))
    #expect(String(validating: bytes, as: UTF8.self) == nil)
    _ = try d.importHandover(request(bytes), actor: "reg")
    #expect(try scene.reload("2021-XF-00001").item.summary == "反映某镇干部违规收受礼金")
  }

  /// GB18030 through iconv, when Foundation has no converter.
  func gbk(_ text: String) -> [UInt8]? {
    let input = Array(text.utf8)
    let converter = iconv_open("GB18030", "UTF-8")
    defer { iconv_close(converter) }
    var output = [UInt8](repeating: 0, count: input.count * 2)
    var inLeft = input.count
    var outLeft = output.count
    var source = input.map { CChar(bitPattern: $0) }
    return source.withUnsafeMutableBufferPointer { inBuffer in
      output.withUnsafeMutableBufferPointer { outBuffer in
        var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
        var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuffer.baseAddress!)
          .assumingMemoryBound(to: CChar.self)
        guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return nil }
        return Array(outBuffer.prefix(outBuffer.count - outLeft))
      }
    }
  }
}
