import DocketTestSupport
import Foundation
import Testing

/// A plain UTF-8 message with a given Message-ID and subject, as an MTA delivers it.
func rawMail(_ number: Int, subject: String = "反映问题") -> String {
  """
  From: =?UTF-8?B?5byg5p+Q5p+Q?= <sender\(number)@example.com>\r
  To: xfjb@example.gov.cn\r
  Subject: \(subject) \(number)\r
  Date: Mon, 29 Nov 2021 09:30:00 +0800\r
  Message-ID: <msg\(number)@example.com>\r
  Content-Type: text/plain; charset=utf-8\r
  Content-Transfer-Encoding: 8bit\r
  \r
  第\(number)封来信：某局长收受红包。\r

  """
}

/// `docket intake email` as an MTA, getmail or a registrar runs it.
@Suite("docket intake email")
struct EmailCommandTests {
  let test: TestDocket
  var environment: [String: String] { test.environment }

  init() throws {
    test = try TestDocket.make("mail")
    try Office.staff(test.docket)
  }

  func scratch() throws -> URL {
    let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "docket-mail-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func maildir(_ count: Int) throws -> URL {
    let root = try scratch()
    for sub in ["new", "cur", "tmp"] {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    for number in 1...count {
      let name = String(format: "1638149400.M%06dP1.mailhost", number)
      try Data(rawMail(number).utf8).write(to: root.appendingPathComponent("new/" + name))
    }
    return root
  }

  func count(_ folder: URL) -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).count
  }

  func items() throws -> [[String: Any]] {
    let result = try CLI.run(["list", "--as", "aud", "--json"], environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
  }

  @Test("--dry-run --json prints exactly the design's fields, without any database")
  func dryRun() throws {
    let file = try scratch().appendingPathComponent("m.eml")
    try Data(rawMail(7).utf8).write(to: file)
    let home = try scratch()
    let result = try CLI.run(
      ["intake", "email", "--dry-run", "--json", file.path], environment: ["DOCKET_HOME": home.path])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "message_id", "from", "to", "subject", "date", "in_reply_to", "references", "text", "attachments",
        "warnings",
      ])
    #expect(object["message_id"] as? String == "msg7@example.com")
    #expect((object["from"] as? [String: Any])?["name"] as? String == "张某某")
    #expect(object["date"] as? String == "2021-11-29T01:30:00Z")
    #expect(object["text"] as? String == "第7封来信：某局长收受红包。")
    // No cluster was created for a dry run.
    #expect(count(home) == 0)

    let notMail = try CLI.run(
      ["intake", "email", "--dry-run", "--json", "-"], environment: ["DOCKET_HOME": home.path],
      input: "%PDF-1.4\n binary")
    #expect(notMail.status == 65)
    #expect(notMail.stderr.contains("not an email message"))
  }

  @Test("a Maildir run killed mid-batch and run again takes every message exactly once")
  func maildirCrashSafety() throws {
    let total = 60
    let box = try maildir(total)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLI.executable)
    process.arguments = ["intake", "email", "--as", "reg", "--maildir", box.path]
    process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let cur = box.appendingPathComponent("cur")
    let deadline = Date().addingTimeInterval(60)
    while count(cur) < 5 && Date() < deadline { usleep(2_000) }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    let movedBeforeKill = count(cur)
    #expect(
      movedBeforeKill >= 5 && movedBeforeKill < total, "the kill did not land mid-batch: \(movedBeforeKill)")

    let again = try CLI.run(
      ["intake", "email", "--as", "reg", "--maildir", box.path, "--json"], environment: environment)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(count(box.appendingPathComponent("new")) == 0)
    #expect(count(cur) == total)
    let listed = try items()
    #expect(listed.count == total)
    #expect(Set(listed.compactMap { $0["subject"] as? String }).count == total)
    // A third run finds nothing waiting.
    let third = try CLI.run(
      ["intake", "email", "--as", "reg", "--maildir", box.path], environment: environment)
    #expect(third.status == 0)
    #expect(third.stdout.isEmpty)
  }

  @Test("an mbox is read message by message; standard input as an MTA pipes it")
  func mboxAndStdin() throws {
    let mbox = try scratch().appendingPathComponent("inbox.mbox")
    let text =
      "From sender1@example.com Mon Nov 29 09:30:00 2021\n"
      + rawMail(1).replacingOccurrences(of: "\r\n", with: "\n")
      + "\nFrom sender2@example.com Mon Nov 29 09:31:00 2021\n"
      + rawMail(2).replacingOccurrences(of: "\r\n", with: "\n") + ">From the office: quoted line\n"
    try Data(text.utf8).write(to: mbox)
    let first = try CLI.run(
      ["intake", "email", "--as", "reg", "--mbox", mbox.path], environment: environment)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.components(separatedBy: "registered").count - 1 == 2)
    let second = try CLI.run(
      ["intake", "email", "--as", "reg", "--mbox", mbox.path], environment: environment)
    #expect(second.stdout.components(separatedBy: "already taken in").count - 1 == 2)

    let piped = try CLI.run(["intake", "email", "--as", "reg"], environment: environment, input: rawMail(3))
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stdout.contains("-XF-00003  registered  [stdin]"))
    // Never the sender in what is printed.
    for result in [first, second, piped] { #expect(!result.stdout.contains("@example.com")) }
  }

  @Test("exit codes for an MTA: 65 for what is not mail (kept in quarantine), 75 when the database is down")
  func exitCodes() throws {
    let notMail = try CLI.run(
      ["intake", "email", "--as", "reg"], environment: environment, input: "hello, this is not a message")
    #expect(notMail.status == 65)
    // Offered again (getmail keeps what was not delivered): held already, so 0.
    let again = try CLI.run(
      ["intake", "email", "--as", "reg"], environment: environment, input: "hello, this is not a message")
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("held already"))
    // Intake misconfigured (an account that may not register): the message waits, never bounces.
    let forbidden = try CLI.run(
      ["intake", "email", "--as", "aud"], environment: environment, input: rawMail(8))
    #expect(forbidden.status == 75)
    #expect(forbidden.stderr.contains("may not register"))
    let list = try CLI.run(
      ["intake", "quarantine", "list", "--as", "reg", "--json"], environment: environment)
    let held = try #require(
      try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
    #expect(held.count == 1)
    #expect(held.first?["origin"] as? String == "stdin")

    var down = environment
    down["DOCKET_DATABASE_URL"] =
      "host=/nonexistent-docket-socket-dir port=5999 dbname=docket connect_timeout=2"
    let unreachable = try CLI.run(["intake", "email", "--as", "reg"], environment: down, input: rawMail(9))
    #expect(unreachable.status == 75, "\(unreachable.stderr)")
  }

  @Test("show lists the files an email brought, and never the sender")
  func showAttachments() throws {
    let pdf = Data("%PDF-1.4 举报材料".utf8)
    let message = """
      From: someone@example.com\r
      Subject: =?UTF-8?B?5Li+5oql5p2Q5paZ?=\r
      Message-ID: <att@example.com>\r
      Content-Type: multipart/mixed; boundary=b\r
      \r
      --b\r
      Content-Type: text/plain; charset=utf-8\r
      \r
      见附件。\r
      --b\r
      Content-Type: application/pdf; name="=?UTF-8?B?5p2Q5paZLnBkZg==?="\r
      Content-Transfer-Encoding: base64\r
      \r
      \(pdf.base64EncodedString())\r
      --b--\r

      """
    let taken = try CLI.run(
      ["intake", "email", "--as", "reg", "--json"], environment: environment, input: message)
    #expect(taken.status == 0, "\(taken.stderr)")
    let outcome = try #require(
      try JSONSerialization.jsonObject(with: Data(taken.stdout.utf8)) as? [[String: Any]])
    let ref = try #require(outcome.first?["ref"] as? String)
    let shown = try CLI.run(["show", ref, "--as", "aud", "--json"], environment: environment)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    let files = try #require(object["attachments"] as? [[String: Any]])
    #expect(files.count == 1)
    #expect(files.first?["filename"] as? String == "材料.pdf")
    #expect(files.first?["size"] as? Int == pdf.count)
    let table = try CLI.run(["show", ref, "--as", "aud"], environment: environment)
    #expect(table.stdout.contains("材料.pdf"))
    #expect(table.stdout.contains("见附件。"))
    for result in [taken, shown, table] { #expect(!result.stdout.contains("someone@example.com")) }
  }
}
