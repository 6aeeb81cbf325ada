import Foundation
import Testing

@testable import DocketCore

@Suite("Model")
struct ModelTests {
  static func entry(itemID: Int64?, payload: String = #"{"to":"accepted"}"#) -> JournalEntry {
    JournalEntry(
      seq: 42, itemID: itemID, itemRef: "2021-XF-00251", actor: "li.registrar", event: "accept",
      effectiveAt: Date(microseconds: 1_632_796_200_500_000),
      recordedAt: Date(microseconds: 1_632_796_260_000_001), payload: payload, previousHash: [1, 2],
      hash: [3, 4])
  }

  @Test("the hashed content of a journal entry is a versioned, newline-separated record")
  func hashedContent() {
    let text = String(decoding: Self.entry(itemID: 7).hashedContent, as: UTF8.self)
    #expect(
      text == """
        docket-journal-v1
        42
        7
        li.registrar
        accept
        1632796200500000
        1632796260000001
        {"to":"accepted"}
        """)
  }

  @Test("an entry about no item hashes an empty item field")
  func hashedContentWithoutItem() {
    let text = String(decoding: Self.entry(itemID: nil).hashedContent, as: UTF8.self)
    #expect(text.split(separator: "\n", omittingEmptySubsequences: false)[2] == "")
    #expect(text.hasPrefix("docket-journal-v1\n42\n\nli.registrar\n"))
  }

  @Test("the hashed content changes with every hashed field, and is UTF-8")
  func hashedContentSensitivity() {
    let base = Self.entry(itemID: 7).hashedContent
    var other = Self.entry(itemID: 7)
    other.effectiveAt = Date(microseconds: 1_632_796_200_500_001)
    #expect(other.hashedContent != base)
    other = Self.entry(itemID: 7, payload: #"{"to":"已受理"}"#)
    #expect(other.hashedContent != base)
    #expect(other.hashedContent.suffix(Array("已受理\"}".utf8).count) == Array("已受理\"}".utf8)[...])
    other = Self.entry(itemID: 7)
    other.actor = "someone.else"
    #expect(other.hashedContent != base)
    // The reference and the hashes themselves are not part of the hashed record.
    other = Self.entry(itemID: 7)
    other.itemRef = "2021-XF-00252"
    other.hash = []
    #expect(other.hashedContent == base)
  }

  @Test("an item shows the reporter only as 实名 or 匿名")
  func itemHasNoIdentity() {
    let now = Date(microseconds: 1_632_796_200_000_000)
    let item = Item(
      id: 1, ref: "2021-XF-00251", kind: .petition, source: .inspection, channel: .handover,
      subject: "反映某派出所民警违规问题", summary: "", category: nil, reporterKind: .realName, receivedAt: now,
      state: .registered, stateSince: now, registeredBy: "li.registrar", lastEventAt: now, version: 1)
    #expect(item.reporterKind == .realName)
    #expect(item.disposal == nil)
    #expect(!item.disposalApproved)
    #expect(!item.falseAccusation)
    #expect(item.accused.isEmpty)
    #expect(item.channelDetails.isEmpty)
    let labels = Mirror(reflecting: item).children.compactMap(\.label)
    for field in ["name", "phone", "email", "address", "idNumber", "reporter"] {
      #expect(!labels.contains(field))
    }
  }
}
