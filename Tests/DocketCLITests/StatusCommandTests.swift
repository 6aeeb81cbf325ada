import DocketTestSupport
import Foundation
import Testing

/// `docket status --receipt CODE` and `docket receipt …` as the front desk runs them.
@Suite("docket status --receipt and docket receipt")
struct StatusCommandTests {
  let test: TestDocket
  var environment: [String: String] { test.environment }

  init() throws {
    test = try TestDocket.make("status")
    try Office.staff(test.docket)
  }

  func docket(_ arguments: String..., input: String? = nil) throws -> CommandResult {
    try CLI.run(arguments, environment: environment, input: input)
  }

  func json(_ result: CommandResult) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  /// The grouped code in the line the intake and reissue commands print.
  func code(in output: String) throws -> String {
    let pattern = try NSRegularExpression(pattern: "[0-9]{4}(-[0-9]{4}){4}")
    let match = try #require(pattern.firstMatch(in: output, range: NSRange(output.startIndex..., in: output)))
    return String(output[Range(match.range, in: output)!])
  }

  /// An anonymous phone accusation against 王某 of 市公安局; its reference number and receipt code.
  func registerCall() throws -> (ref: String, code: String) {
    let result = try docket(
      "intake", "phone", "--as", "reg", "--kind", "accusation", "--subject", "反映某所长违规收费",
      "--accused", "王某", "--accused-unit", "市公安局", "--at", "2021-09-28 10:00")
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines.last?.contains("shown once") == true)
    return (try #require(lines.first), try code(in: result.stdout))
  }

  @Test("intake prints the code once, beside the reference number and as receipt_code in JSON")
  func intakePrintsCode() throws {
    let (ref, code) = try registerCall()
    #expect(ref == "2021-JB-00001")
    #expect(code.count == 24)
    let online = try docket(
      "intake", "online", "--as", "reg", "--kind", "suggestion", "--subject", "意见建议", "--json")
    #expect(online.status == 0, "\(online.stderr)")
    let item = try json(online)
    let onlineCode = try #require(item["receipt_code"] as? String)
    #expect(try self.code(in: onlineCode) == onlineCode)
    #expect(item["ref"] as? String != nil)
    // An inspection team's item gets none.
    let handed = try docket(
      "intake", "letter", "--as", "reg", "--kind", "clue", "--source", "inspection", "--subject", "移交线索",
      "--json")
    #expect(handed.status == 0, "\(handed.stderr)")
    #expect(try json(handed)["receipt_code"] == nil)
    // The code is shown nowhere afterwards.
    let shown = try docket("show", ref, "--json")
    #expect(!shown.stdout.contains(code))
    #expect(!shown.stdout.contains(code.replacingOccurrences(of: "-", with: "")))
  }

  @Test("status prints the public state, the day received and the note, and nothing else")
  func statusOnlyPublicFields() throws {
    let (ref, code) = try registerCall()
    let received = try docket("status", "--receipt", code, "--as", "reg")
    #expect(received.status == 0, "\(received.stderr)")
    #expect(received.stdout == "办理状态  已收到\n收件日期  2021-09-28\n")

    #expect(try docket("accept", ref, "--as", "reg", "--at", "2021-09-28 11:00").status == 0)
    let note = try docket("receipt", "note", ref, "您反映的问题已受理。", "--as", "reg")
    #expect(note.status == 0, "\(note.stderr)")
    // Any spelling of the code; the English labels with --lang en; the code from standard input.
    let english = try docket(
      "status", "--receipt", code.replacingOccurrences(of: "-", with: " "), "--lang", "en", "--as", "h2")
    #expect(english.status == 0, "\(english.stderr)")
    #expect(english.stdout == "Status    accepted\nReceived  2021-09-28\nNote      您反映的问题已受理。\n")
    let piped = try docket("status", "--receipt", "-", "--json", "--as", "aud", input: code + "\n")
    #expect(piped.status == 0, "\(piped.stderr)")
    let document = try json(piped)
    #expect(document.keys.sorted() == ["note", "received_on", "status", "status_label"])
    #expect(document["status"] as? String == "accepted")
    #expect(document["status_label"] as? String == "已受理")
    #expect(document["received_on"] as? String == "2021-09-28")
    #expect(document["note"] as? String == "您反映的问题已受理。")
    for output in [received.stdout, english.stdout, piped.stdout] {
      for hidden in [ref, "反映某所长违规收费", "王某", "市公安局", "accusation", "检举控告", "phone", "reg"] {
        #expect(!output.contains(hidden), "status shows \(hidden)")
      }
    }
  }

  @Test("a wrong and an unknown code exit 1 with the same sentence; a malformed one exits 65")
  func wrongCodes() throws {
    let (_, code) = try registerCall()
    let digits = code.replacingOccurrences(of: "-", with: "")
    let wrongVerifier = String(digits.dropLast()) + (digits.last == "0" ? "1" : "0")
    let unknownSelector = (digits.first == "0" ? "1" : "0") + digits.dropFirst()
    let wrong = try docket("status", "--receipt", wrongVerifier, "--as", "reg")
    let unknown = try docket("status", "--receipt", unknownSelector, "--as", "reg")
    #expect(wrong.status == 1)
    #expect(unknown.status == 1)
    #expect(wrong.stdout.isEmpty && unknown.stdout.isEmpty)
    #expect(wrong.stderr == unknown.stderr)
    #expect(wrong.stderr.hasPrefix("There is no item with this receipt code; check the 20 digits"))
    let malformed = try docket("status", "--receipt", "1234-5678", "--as", "reg")
    #expect(malformed.status == 65)
    #expect(malformed.stderr.contains("has 8 digits"))
    #expect(try docket("status", "--as", "reg").status == 64)
  }

  @Test("after 5 wrong tries of a code, even the right one exits 75 and says to try later")
  func rateLimited() throws {
    let (_, code) = try registerCall()
    let digits = code.replacingOccurrences(of: "-", with: "")
    let wrong = String(digits.dropLast()) + (digits.last == "0" ? "1" : "0")
    for _ in 0..<5 { #expect(try docket("status", "--receipt", wrong, "--as", "reg").status == 1) }
    let limited = try docket("status", "--receipt", code, "--as", "reg")
    #expect(limited.status == 75)
    #expect(limited.stdout.isEmpty)
    #expect(
      limited.stderr
        == "Too many wrong receipt codes were tried in the last 15 minutes; try again in 15 minutes.\n")
  }

  @Test("receipt reissue prints a new code and the old one stops working; handlers may not reissue")
  func reissue() throws {
    let (ref, old) = try registerCall()
    #expect(try docket("receipt", "reissue", ref, "--as", "h1").status == 1)
    let result = try docket("receipt", "reissue", ref, "--as", "reg")
    #expect(result.status == 0, "\(result.stderr)")
    let new = try code(in: result.stdout)
    #expect(new != old)
    #expect(try docket("status", "--receipt", old, "--as", "reg").status == 1)
    #expect(try docket("status", "--receipt", new, "--as", "reg").status == 0)
    let asJSON = try docket("receipt", "reissue", ref, "--as", "reg", "--json")
    #expect(try json(asJSON)["ref"] as? String == ref)
    #expect(try json(asJSON)["receipt_code"] as? String != nil)
    let journal = try docket("show", ref, "--json")
    #expect(journal.stdout.contains("receipt_reissued"))
    #expect(!journal.stdout.contains(new) && !journal.stdout.contains(old))
    #expect(try docket("receipt", "note", ref, "--as", "reg").status == 64)
    #expect(try docket("receipt", "note", ref, "--clear", "--as", "reg").status == 0)
  }
}
