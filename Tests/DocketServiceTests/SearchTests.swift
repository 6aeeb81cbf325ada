import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// `docket search` against the database (issue 18, items 1, 2 and 6): short Chinese terms,
/// phrases, exclusion, full-width input, identities never found, notes and redactions, row-level
/// security, measures, and the migration's catch-up.
@Suite("Full-text search")
struct SearchTests {
  let scene: Scene
  var d: Docket { scene.d }

  init() throws {
    scene = try Scene.make("search", now: beijing("2021-10-08 12:00"))
  }

  func at(_ text: String) -> MoveOptions { MoveOptions(at: beijing(text)) }

  /// The references found, best first.
  func found(_ query: String, actor: String = "aud", _ narrow: (inout SearchRequest) -> Void = { _ in })
    throws
    -> [String]
  {
    var request = SearchRequest(query)
    narrow(&request)
    return try d.search(request, actor: actor).hits.map(\.ref)
  }

  /// Four items: 红包 twice in subjects (one of them against 市公安局), 砂, 烟花, and 红包 in a
  /// summary only.
  func ledger() throws -> [Item] {
    let day = beijing("2021-09-28 09:00")
    var items = [try scene.register(Office.call(subject: "反映某局长收受红包", at: day))]
    items.append(
      try scene.register(Office.call(subject: "反映非法采砂问题", at: day, accused: nil)))
    items.append(
      try scene.register(Office.call(subject: "燃放烟花爆竹扰民", kind: .suggestion, at: day, accused: nil)))
    items.append(
      try scene.register(
        Office.call(subject: "反映某所长收受红包", at: day, name: nil, phone: nil, accused: "李某", accusedUnit: "市教育局"))
    )
    var summaryOnly = Office.call(subject: "反映某站长违规问题", at: day, accused: nil)
    summaryOnly.summary = "逢年过节收受管理对象红包"
    items.append(try scene.register(summaryOnly))
    return items
  }

  @Test("one- and two-character terms, phrases, exclusion and full-width input find what they should")
  func terms() throws {
    let items = try ledger()
    let refs = items.map(\.ref)
    // Subject hits rank above a summary hit.
    let red = try found("红包")
    #expect(Set(red) == [refs[0], refs[3], refs[4]])
    #expect(red.last == refs[4])
    #expect(try found("砂") == [refs[1]])
    #expect(try found("烟花") == [refs[2]])
    #expect(Set(try found("红包 -公安局")) == [refs[3], refs[4]])
    #expect(Set(try found("\"收受红包\"")) == [refs[0], refs[3]])
    #expect(try found("收受 红包").count == 3)
    #expect(try found("\"红包收受\"").isEmpty)
    #expect(try found("收受 教育局") == [refs[3]])
    // A reference number, typed in full-width forms.
    let wide = String(
      String.UnicodeScalarView(refs[1].unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
    #expect(try found(wide) == [refs[1]])
    #expect(try found("ＪＢ").count == 4)
    let hit = try #require(try d.search(SearchRequest("砂"), actor: "aud").hits.first)
    #expect(hit.snippet == "反映非法采【砂】问题" && hit.kind == .accusation && hit.state == "registered")
  }

  @Test("a reporter's name, phone or address finds nothing: identities are never indexed")
  func noIdentity() throws {
    _ = try ledger()
    for term in ["张三丰", "13800138000", "三丰"] { #expect(try found(term).isEmpty, "\(term)") }
    // The item's own words still are: 王某 is the accused.
    #expect(try found("王某").count == 1)
  }

  @Test("a move's note is found; a redacted value is not, once redacted")
  func notesAndRedaction() throws {
    let item = try scene.register(Office.call(subject: "证人赵某知情", at: beijing("2021-09-28 09:00")))
    #expect(try found("赵某") == [item.ref])
    _ = try d.accept(item.ref, actor: "reg", MoveOptions(at: beijing("2021-09-28 10:00"), note: "已电话联系所述单位"))
    #expect(try found("电话联系") == [item.ref])
    _ = try d.redact(item.ref, value: "赵某", reason: "证人姓名", actor: "reg")
    #expect(try found("赵某").isEmpty)
    #expect(try found("电话联系") == [item.ref])
    #expect(try found("证人") == [item.ref])
  }

  @Test("a handler finds only their unit's items, through docket and from raw SQL; no write around docket")
  func rowSecurity() throws {
    let items = try ledger()
    for (item, unit) in [(items[0], "第一纪检监察室"), (items[3], "第二纪检监察室")] {
      _ = try d.accept(item.ref, actor: "reg", at("2021-09-28 10:00"))
      _ = try d.assign(item.ref, unit: unit, actor: "boss", at("2021-09-29 10:00"))
    }
    #expect(try found("红包", actor: "h1") == [items[0].ref])
    #expect(try found("红包", actor: "h2") == [items[3].ref])
    let db = try Connection(
      conninfo: try scene.test.staffOnOwnRole("s.h2", name: "承办二乙", roles: [.handler], unit: "第二纪检监察室"))
    let visible = try db.query("SELECT item_id FROM item_search").map { try $0.decode("item_id") as Int64 }
    #expect(visible == [items[3].id])
    #expect(throws: DatabaseError.self) {
      try db.query("UPDATE item_search SET tokens = ''::tsvector")
    }
  }

  @Test("filters narrow the hits; the total counts them all; measures are found by their text")
  func filtersAndMeasures() throws {
    let items = try ledger()
    #expect(try found("红包") { $0.kind = "suggestion" }.isEmpty)
    #expect(try found("烟花") { $0.kind = "suggestion" } == [items[2].ref])
    #expect(try found("红包") { $0.state = "accepted" }.isEmpty)
    #expect(try found("红包") { $0.to = CivilDate("2021-09-27") }.isEmpty)
    #expect(try found("红包") { $0.from = CivilDate("2021-09-28") }.count == 3)
    var request = SearchRequest("红包")
    request.limit = 1
    let results = try d.search(request, actor: "aud")
    #expect(results.hits.count == 1 && results.total == 3)

    let round = try d.addRound(
      name: "整改", team: "省委第四巡视组", feedbackDate: "2021-06-28", reportDue: nil, actor: "boss"
    ).id
    let plan = """
      序号,方面,问题,整改措施,牵头领导,责任单位,完成时限,目标
      1,一、方面甲,警示教育不深入,常态化开展警示教育,boss,第二纪检监察室,长期坚持,
      """
    _ = try d.importPlan(PlanRequest(fileName: "清单.csv", bytes: Array(plan.utf8), round: round), actor: "cm")
    #expect(try found("警示") == ["\(round)-1"])
    #expect(try found("警示") { $0.kind = "measure" } == ["\(round)-1"])
    #expect(try found("警示") { $0.kind = "accusation" }.isEmpty)
    #expect(try found("警示", actor: "h1").isEmpty)
    #expect(try found("警示", actor: "h2") == ["\(round)-1"])
  }

  @Test("a query with nothing to find, or a bad filter, is refused with the reason")
  func refusals() throws {
    let quote = expectRefusal(.invalid) { () throws(DocketError) in
      try d.search(SearchRequest("\"红包"), actor: "aud")
    }
    #expect(quote?.description.contains("closing") == true)
    expectRefusal(.invalid) { () throws(DocketError) in try d.search(SearchRequest("-红包"), actor: "aud") }
    var request = SearchRequest("红包")
    request.kind = "letter"
    expectRefusal(.invalid) { () throws(DocketError) in try d.search(request, actor: "aud") }
  }

  @Test("items written before the index was kept are indexed by 'db migrate', notes included")
  func migrateCatchUp() throws {
    let items = try ledger()
    _ = try d.accept(items[1].ref, actor: "reg", MoveOptions(at: beijing("2021-09-28 10:00"), note: "河道管理"))
    let owner = try Connection(conninfo: scene.test.conninfo)
    try owner.query("DELETE FROM item_search")
    #expect(try found("砂").isEmpty)
    let report = try d.migrate()
    #expect(report.itemsIndexed == items.count)
    #expect(try found("砂") == [items[1].ref])
    #expect(try found("河道") == [items[1].ref])
    #expect(try d.migrate().itemsIndexed == 0)
  }
}
