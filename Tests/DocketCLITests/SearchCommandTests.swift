import DocketService
import DocketTestSupport
import Foundation
import Testing

/// `docket search` as a registrar screens a new letter against the ledger (issue 18).
@Suite("docket search")
struct SearchCommandTests {
  @Test("results as a table and as JSON, the term marked; a bad query exits 65 and says why; never a name")
  func search() throws {
    let test = try TestDocket.make("searchcli")
    try Office.staff(test.docket)
    let item = try test.docket.intake(
      Office.call(subject: "反映某局长收受红包", at: beijing("2021-09-28 09:00")), actor: "reg")
    _ = try test.docket.intake(
      Office.call(subject: "反映非法采砂问题", at: beijing("2021-09-29 09:00"), accused: nil), actor: "reg")

    let table = try CLI.run(["search", "红包"], environment: test.environment)
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains(item.ref))
    #expect(table.stdout.contains("反映某局长收受【红包】"))
    #expect(!table.stdout.contains("采砂"))

    let json = try CLI.run(["search", "砂", "--json", "--limit", "5"], environment: test.environment)
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["total"] as? Int == 1)
    let hit = try #require((object["hits"] as? [[String: Any]])?.first)
    #expect(hit["kind"] as? String == "accusation" && hit["snippet"] as? String == "反映非法采【砂】问题")

    let bad = try CLI.run(["search", "\"红包"], environment: test.environment)
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("closing"), "\(bad.stderr)")
    let name = try CLI.run(["search", "张三丰"], environment: test.environment)
    #expect(name.status == 0 && name.stdout == "Nothing found.\n")
  }
}
