import DocketTestSupport
import Foundation
import Testing

/// A full scenario from the command line, with everything it printed and wrote (standard output and
/// error, exports, letters, the server's log) scanned for the reporters' identities.
@Suite("No identity in any output of a full scenario")
struct IdentityLeakTests {
  let test: TestDocket
  let folder: URL

  /// What identifies the reporters of the scenario, none of which may appear anywhere.
  static let secrets = [
    "欧阳秘密", "13912345678", "whistle.secret@example.cn", "赤坎区秘密路88号", "440802198503151236",
    "司马隐名", "0759-8765432", "blower.hidden@example.cn", "Blower Hidden", "1391234567",
  ]

  init() throws {
    test = try TestDocket.make("leak")
    try Office.staff(test.docket)
    folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("leak-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  }

  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
  }

  @Test("lists, show, exports, reports, letters, the journal, errors and the server log carry no identity")
  func scenario() throws {
    var printed: [String] = []
    func docket(_ arguments: String..., expect status: Int32 = 0) throws {
      let result = try CLI.run(arguments, environment: test.environment)
      #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)")
      printed.append(result.stdout)
      printed.append(result.stderr)
    }
    let caller = try write(
      "caller.json",
      Array(
        #"{"name": "欧阳秘密", "phone": "13912345678", "email": "whistle.secret@example.cn", "address": "湛江市赤坎区秘密路88号", "idNumber": "440802198503151236"}"#
          .utf8))
    try docket(
      "intake", "phone", "--as", "reg", "--kind", "accusation", "--subject", "反映某局长收受红包", "--reporter-from",
      caller, "--accused", "王某", "--accused-unit", "市公安局", "--at", "2021-09-28 09:30")
    try docket(
      "intake", "letter", "--as", "reg", "--kind", "accusation", "--subject", "反映某所长违规收费", "--reporter-name",
      "司马隐名",
      "--reporter-phone", "0759-8765432", "--postmark", "2021-09-26", "--at", "2021-09-28 10:00", "--json")
    // A near miss is refused without repeating what was typed.
    try docket(
      "intake", "phone", "--as", "reg", "--subject", "反映问题", "--reporter-name", "欧阳秘密", "--caller",
      "1391234567", "--at", "2021-09-28 11:00", expect: 65)
    let mail = try write(
      "mail.eml",
      Array(
        [
          "From: Blower Hidden <blower.hidden@example.cn>", "To: jubao@example.gov.cn",
          "Subject: =?UTF-8?B?5Y+N5pig5p+Q56eR6ZW/5ZCD5ou/5Y2h6KaB?=",
          "Date: Tue, 28 Sep 2021 08:00:00 +0800",
          "Message-ID: <leak-1@example.cn>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
          "",
          "某科长吃拿卡要，请查处。", "",
        ].joined(separator: "\r\n").utf8))
    try docket("intake", "email", mail, "--at", "2021-09-28 12:00", "--as", "reg")
    try docket("intake", "email", mail, "--at", "2021-09-28 12:00", "--as", "reg", "--json")
    let list = try write(
      "移交清单.csv",
      [0xEF, 0xBB, 0xBF]
        + Array(
          [
            "序号,来信日期,反映人,联系电话,问题类别,内容摘要", "1,2021-09-20,欧阳秘密,13912345678,涉警问题,反映某派出所乱收费",
            "2,2021-09-21,司马隐名,1391234567,其他,反映违建问题",
          ].joined(separator: "\r\n").utf8))
    try docket(
      "import", "handover", list, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition",
      "--handover-date", "2021-09-25", expect: 65)
    let good = try write(
      "移交清单2.csv",
      [0xEF, 0xBB, 0xBF]
        + Array(
          ["序号,来信日期,反映人,联系电话,问题类别,内容摘要", "1,2021-09-20,欧阳秘密,13912345678,涉警问题,反映某派出所乱收费"]
            .joined(separator: "\r\n").utf8))
    try docket(
      "import", "handover", good, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition",
      "--handover-date", "2021-09-25", "--json")
    try docket("accept", "2021-JB-00001", "--as", "reg", "--at", "2021-09-28 10:00")
    try docket(
      "assign", "2021-JB-00001", "--as", "boss", "--unit", "第一纪检监察室", "--handler", "h1", "--at",
      "2021-09-29 10:00")
    try docket("start", "2021-JB-00001", "--as", "h1", "--at", "2021-09-30 10:00")
    try docket("notify", "2021-JB-00001", "--as", "reg", "--at", "2021-09-30 11:00")
    try docket("reveal", "2021-JB-00001", "--as", "reg", "--reason", "想看", expect: 1)
    try docket("list")
    try docket("list", "--json")
    try docket("show", "2021-JB-00001")
    try docket("show", "2021-JB-00001", "--json")
    try docket("show", "2021-XF-00001", "--json")
    try docket("export", "items", "--format", "csv")
    try docket("export", "items", "--format", "json")
    for format in ["table", "csv", "md", "html", "json"] {
      try docket("report", "monthly", "--month", "2021-10", "--by", "unit", "--format", format)
    }
    try docket("report", "weekly", "--week", "2021-W39", "--format", "md")
    try docket("overdue", "--as-of", "2021-12-20 12:00")
    let letters = folder.appendingPathComponent("letters")
    try docket("overdue", "--as-of", "2021-12-20 12:00", "--letters", letters.path, "--as", "cm")
    try docket("audit", "log")
    try docket("audit", "log", "--json")
    try docket("audit", "verify")
    try docket("intake", "quarantine", "list", "--as", "reg")
    // Searching for a reporter finds nothing, and what search shows of the rest names nobody.
    for query in ["欧阳秘密", "秘密", "13912345678", "whistle", "司马隐名", "Blower"] {
      try docket("search", query, "--json")
      #expect(printed.last(where: { !$0.isEmpty })?.contains("\"total\" : 0") == true, "\(query)")
    }
    try docket("search", "红包")
    try docket("search", "收费", "--json")

    var written: [String] = []
    if let files = FileManager.default.enumerator(at: letters, includingPropertiesForKeys: nil) {
      for case let file as URL in files {
        if let text = try? String(contentsOf: file, encoding: .utf8) { written.append(text) }
      }
    }
    #expect(!written.isEmpty, "the scenario wrote supervision letters")
    let log = try String(contentsOf: TestCluster.shared.cluster.logFile, encoding: .utf8)
    let everything = printed + written + [log]
    #expect(printed.joined().contains("2021-JB-00001"))
    for secret in Self.secrets {
      let found = everything.filter { $0.contains(secret) }
      #expect(found.isEmpty, "'\(secret)' appears in: \(found.map { String($0.prefix(300)) })")
    }
  }
}
