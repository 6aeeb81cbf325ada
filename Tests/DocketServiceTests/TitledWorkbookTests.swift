import DocketCore
import DocketSheets
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// Workbooks as offices make them (issue 17, item 2): a title block above the header and a
/// two-row header, for the handover list and the rectification plan alike.
@Suite("Importing workbooks with a title block and a two-row header")
struct TitledWorkbookTests {
  let scene: Scene
  var d: Docket { scene.d }

  init() throws {
    scene = try Scene.make("titled", now: beijing("2021-09-28 12:00"))
  }

  static let header = ["序号", "来信日期", "反映人", "联系电话", "种类", "问题类别", "内容摘要"]
  static let rows = [
    ["1", "2021-09-20", "张某", "13800138000", "申诉求决", "涉警问题", "反映某派出所乱收费"],
    ["2", "2021-09-21", "", "", "检举控告", "其他", "反映某局长收受红包"],
  ]
  static let title = [
    ["省委第四巡视组移交信访件清单"], [], ["填报单位：省委第四巡视组", "", "", "", "填报日期：2021-09-25"],
  ]

  func handover(_ rows: [[String]], merges: [String]) throws -> HandoverRequest {
    let bytes = try XLSXWriter.workbook(sheetName: "移交清单", rows: rows, merges: merges)
    var request = HandoverRequest(fileName: "移交清单.xlsx", bytes: bytes, handedOverBy: "省委第四巡视组")
    request.handoverDate = CivilDate("2021-09-25")
    return request
  }

  @Test(
    "a handover list below a merged title row, a blank row and a 填报单位 line is imported, saying its header row"
  )
  func handoverTitle() throws {
    for merges in [["A1:G1"], []] {
      var request = try handover(Self.title + [Self.header] + Self.rows, merges: merges)
      request.dryRun = true
      let checked = try d.importHandover(request, actor: "reg")
      #expect(
        checked.headerRow == 4 && checked.items == 2 && checked.unknownColumns.isEmpty, "merges \(merges)")
    }
    let result = try d.importHandover(
      try handover(Self.title + [Self.header] + Self.rows, merges: ["A1:G1"]), actor: "reg")
    #expect(result.items == 2 && result.headerRow == 4)
    let first = try scene.reload(try #require(result.firstRef))
    #expect(first.item.reporterKind == .realName && first.item.summary == "反映某派出所乱收费")
  }

  @Test("a two-row handover header (反映人信息 merged over 反映人 | 联系电话, 序号 merged down) is read as one")
  func handoverTwoRows() throws {
    let upper = ["序号", "来信日期", "反映人信息", "", "种类", "问题类别", "内容摘要"]
    let lower = ["", "", "反映人", "联系电话", "", "", ""]
    let merges = ["A1:G1", "A4:A5", "B4:B5", "C4:D4", "E4:E5", "F4:F5", "G4:G5"]
    let result = try d.importHandover(
      try handover(Self.title + [upper, lower] + Self.rows, merges: merges), actor: "reg")
    #expect(result.headerRow == 5 && result.items == 2)
    #expect(try scene.reload(try #require(result.firstRef)).item.reporterKind == .realName)
  }

  @Test("cells merged across columns of the header row itself are refused, naming the row and range")
  func handoverMergedHeader() throws {
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try d.importHandover(
        try! handover(Self.title + [Self.header] + Self.rows, merges: ["A1:G1", "F4:G4"]), actor: "reg")
    }
    #expect(
      error?.description.contains("移交清单.xlsx, row 4 (the header)") == true, "\(String(describing: error))")
    #expect(error?.description.contains("F4:G4") == true)
    #expect(try d.list(LedgerQuery(), actor: "aud").isEmpty)
  }

  @Test("a plan workbook with a merged title and 责任 merged over 牵头领导 | 责任单位 loads, from header row 5")
  func planWorkbook() throws {
    for unit in ["市住房和城乡建设局", "市自然资源局", "雷城街道"] { _ = try d.addUnit(unit, actor: "admin") }
    let round = try d.addRound(
      name: "整改", team: "省委第四巡视组", feedbackDate: "2021-06-28", reportDue: "2021-09-28", actor: "boss")
    let rows: [[String]] = [
      ["落实省委第四巡视组反馈意见整改任务清单"], [], ["填报单位：市委巡视整改办", "", "", "", "", "", "填报日期：2021-07-10"],
      ["序号", "方面", "问题", "整改措施", "责任", "", "完成时限", "目标"],
      ["", "", "", "", "牵头领导", "责任单位", "", ""],
      ["1", "一、落实新发展理念不到位", "新城大道遗留问题多", "逐宗化解新城大道遗留问题", "boss", "市住房和城乡建设局、雷城街道", "2021-12-31", "119宗"],
      ["2", "", "", "建立问题台账对账销号", "boss", "市住房和城乡建设局", "立行立改", ""],
      ["3", "", "行政审批事项覆盖不全", "推进行政审批事项进驻", "boss", "市自然资源局", "2021年11月底", "1232项"],
    ]
    let merges = ["A1:H1", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:F4", "G4:G5", "H4:H5", "B6:B8", "C6:C7"]
    let bytes = try XLSXWriter.workbook(sheetName: "清单", rows: rows, merges: merges)
    let loaded = try d.importPlan(
      PlanRequest(fileName: "整改任务清单.xlsx", bytes: bytes, round: round.id), actor: "cm")
    #expect(loaded.headerRow == 5 && (loaded.aspects, loaded.problems, loaded.measures) == (1, 2, 3))
    let measures = try d.measures(round: round.id, actor: "aud")
    #expect(
      measures[2].problem == "行政审批事项覆盖不全" && measures[2].target == MeasureTarget(value: 1232, unit: "项"))
    // Merged across the header row itself, the plan is refused as the handover list is.
    let other = try d.addRound(
      name: "整改二", team: "省委第四巡视组", feedbackDate: "2021-06-28", reportDue: nil, actor: "boss")
    let merged = try XLSXWriter.workbook(sheetName: "清单", rows: rows, merges: merges + ["E5:F5"])
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try d.importPlan(PlanRequest(fileName: "整改任务清单.xlsx", bytes: merged, round: other.id), actor: "cm")
    }
    #expect(
      error?.description.contains("row 5 (the header)") == true
        && error?.description.contains("E5:F5") == true)
    #expect(try d.measures(round: other.id, actor: "aud").isEmpty)
  }
}
