import Foundation
import Testing

@testable import DocketMail

/// One case of the corpus in Corpus/ (built by make_corpus.py): raw bytes and the fields a
/// person reading the message would expect, written down independently of the parser.
struct CorpusCase: CustomTestStringConvertible, Sendable {
  let name: String
  let raw: [UInt8]
  let expected: [String: JSONAny]
  var testDescription: String { name }

  static let all: [CorpusCase] = {
    let folder = Bundle.module.url(forResource: "Corpus", withExtension: nil)!
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".eml") }.sorted().map { file in
      let name = String(file.dropLast(4))
      let raw = [UInt8](FileManager.default.contents(atPath: folder.appendingPathComponent(file).path)!)
      let json = FileManager.default.contents(atPath: folder.appendingPathComponent(name + ".json").path)!
      let object = try! JSONSerialization.jsonObject(with: json) as! [String: Any]
      return CorpusCase(name: name, raw: raw, expected: object.mapValues(JSONAny.init))
    }
  }()
}

/// JSON as read back, comparable and sendable.
enum JSONAny: Equatable, Sendable {
  case string(String), number(Double), bool(Bool), null, array([JSONAny]), object([String: JSONAny])

  init(_ value: Any) {
    switch value {
    case let text as String: self = .string(text)
    case let number as NSNumber: self = .number(number.doubleValue)
    case let array as [Any]: self = .array(array.map(JSONAny.init))
    case let object as [String: Any]: self = .object(object.mapValues(JSONAny.init))
    default: self = .null
    }
  }

  var string: String? { if case .string(let text) = self { text } else { nil } }
  var strings: [String] { if case .array(let values) = self { values.compactMap(\.string) } else { [] } }
}

func json(_ address: MailAddress?) -> JSONAny {
  guard let address else { return .null }
  return .object(["name": address.name.map(JSONAny.string) ?? .null, "address": .string(address.address)])
}

func rfc3339(_ date: Date?) -> JSONAny {
  guard let date else { return .null }
  let formatter = ISO8601DateFormatter()
  formatter.timeZone = TimeZone(identifier: "UTC")
  return .string(formatter.string(from: date))
}

@Suite("Parsing the corpus of real-world-shaped mail")
struct CorpusTests {
  @Test("the corpus is there")
  func corpusLoads() {
    #expect(CorpusCase.all.count >= 20)
  }

  @Test("each message gives the fields a reader expects", arguments: CorpusCase.all)
  func fields(_ corpus: CorpusCase) throws {
    let message = try MailParser().parse(corpus.raw)
    let expected = corpus.expected
    if let id = expected["message_id"] { #expect(message.messageID.map(JSONAny.string) ?? .null == id) }
    if let from = expected["from"] { #expect(json(message.from) == from) }
    if let to = expected["to"] { #expect(JSONAny.array(message.to.map(json)) == to) }
    if let subject = expected["subject"] { #expect(message.subject.map(JSONAny.string) ?? .null == subject) }
    if let date = expected["date"] { #expect(rfc3339(message.date) == date) }
    if let reply = expected["in_reply_to"] {
      #expect(message.inReplyTo.map(JSONAny.string) ?? .null == reply)
    }
    if let references = expected["references"] { #expect(message.references == references.strings) }
    for needle in expected["text_contains"]?.strings ?? [] {
      #expect(message.text.contains(needle), "text lacks \(needle)")
    }
    for needle in expected["text_excludes"]?.strings ?? [] {
      #expect(!message.text.contains(needle), "text has \(needle)")
    }
    #expect(!message.text.contains("\r"))
    if let attachments = expected["attachments"] {
      let actual = JSONAny.array(
        message.attachments.map {
          .object([
            "filename": $0.filename.map(JSONAny.string) ?? .null, "content_type": .string($0.contentType),
            "size": .number(Double($0.data.count)), "sha256": .string($0.sha256),
          ])
        })
      #expect(actual == attachments)
    }
    if let warnings = expected["warnings"] {
      #expect(Set(message.warnings.map(\.code.rawValue)) == Set(warnings.strings), "\(message.warnings)")
    }
  }
}
