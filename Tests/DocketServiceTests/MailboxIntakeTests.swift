import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("A Maildir taken in a group per transaction")
struct MailboxIntakeTests {
  /// A Maildir with `messages` in new/.
  func maildir(_ messages: [[UInt8]]) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mbx-\(UUID().uuidString)")
    for folder in ["new", "cur", "tmp"] {
      try FileManager.default.createDirectory(
        at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    for (index, message) in messages.enumerated() {
      try Data(message).write(to: root.appendingPathComponent("new/\(1_638_150_000 + index).M\(index).host"))
    }
    return root
  }

  func files(_ root: URL, _ folder: String) throws -> Int {
    try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path).count
  }

  @Test(
    "every message is reported in order after its group commits; one that is not mail is quarantined, the rest of its group kept"
  )
  func groups() throws {
    let scene = try Scene.make("mbxgroup", now: beijing("2021-11-29 12:00"))
    var messages = (0..<6).map { mail(subject: "反映问题\($0)", messageID: "<g\($0)@example.com>") }
    messages[2] = Array("this is not email at all".utf8)
    let root = try maildir(messages)
    defer { try? FileManager.default.removeItem(at: root) }
    let sources = try MailSource.list(files: [], maildir: root.path, mbox: nil)
    var seen: [(String, EmailOutcome)] = []
    try scene.d.intakeMail(sources, arrivedAt: beijing("2021-11-29 10:00"), group: 4, actor: "reg") {
      source, result in
      guard case .taken(let taken) = result else {
        Issue.record("\(source.origin): \(result)")
        return
      }
      seen.append((source.origin, taken.outcome))
    }
    #expect(seen.map(\.0) == sources.map(\.origin))
    #expect(seen.filter { if case .registered = $0.1 { true } else { false } }.count == 5)
    if case .quarantined(_, _, let notMail, _) = seen[2].1 {
      #expect(notMail)
    } else {
      Issue.record("the third message was not quarantined: \(seen[2].1)")
    }
    #expect(try files(root, "new") == 0)
    #expect(try files(root, "cur") == 6)
    #expect(try scene.d.verifyJournal(actor: "aud").isIntact)

    // The same Maildir's messages again (a crash after the commit, before the moves): known.
    let again = try maildir(messages)
    defer { try? FileManager.default.removeItem(at: again) }
    var known = 0
    try scene.d.intakeMail(
      try MailSource.list(files: [], maildir: again.path, mbox: nil), group: 4, actor: "reg"
    ) { _, result in
      if case .taken(let taken) = result, case .known = taken.outcome { known += 1 }
    }
    #expect(known == 5)
  }

  @Test("a mailbox that is not there is bad usage")
  func missing() {
    expectRefusal(.usage) { () throws(DocketError) in
      try MailSource.list(files: [], maildir: "/nonexistent/maildir", mbox: nil)
    }
  }
}
