import DocketCore
import DocketStore
import DocketTestSupport
import Foundation
import Testing

@testable import DocketService

/// The rectification ledger's plan (issue 17, items 1 and 2, the first part).
@Suite("Rectification: rounds and the plan's import")
struct RectificationPlanTests {
  let scene: Scene
  var d: Docket { scene.d }

  init() throws {
    scene = try Scene.make("rectify", now: beijing("2021-10-08 12:00"))
    for unit in ["市住房和城乡建设局", "市自然资源局", "雷城街道"] { _ = try d.addUnit(unit, actor: "admin") }
  }

  /// A plan as offices write it: a title block, a blank row, a 填报单位 line, then a two-row header
  /// (责任 over 牵头领导 | 责任单位); a blank 方面 and 问题 continue the row above.
  static let plan =
    [
      "落实省委第四巡视组反馈意见整改任务清单,,,,,,,",
      ",,,,,,,",
      "填报单位：市委巡视整改办,,,,,,填报日期：2021-07-10,",
      "序号,方面,问题,整改措施,责任,,完成时限,目标",
      ",,,,牵头领导,责任单位,,",
      "1,一、落实新发展理念不到位,新城大道遗留问题多,全面梳理新城大道遗留问题并逐宗化解,boss,市住房和城乡建设局、雷城街道,2021-12-31,119宗",
      "2,,,建立问题台账对账销号,分管领导,市住房和城乡建设局,立行立改,",
      "3,,行政审批事项覆盖不全,推进行政审批事项进驻,boss,市自然资源局,2021年11月底,1232项",
      "4,二、落实全面从严治党不到位,信访件办理不力,全面核查省委巡视组移交的信访件,boss,第一纪检监察室,长期坚持,251件",
    ].joined(separator: "\r\n") + "\r\n"

  func round() throws -> RectificationRound {
    try d.addRound(
      name: "落实省委第四巡视组反馈意见整改", team: "省委第四巡视组", feedbackDate: "2021-06-28", reportDue: "2021-09-28",
      actor: "boss")
  }

  @Test("a plan below a title block, with a two-row header, loads its aspects, problems and measures")
  func imports() throws {
    let round = try round()
    var request = PlanRequest(fileName: "整改任务清单.csv", bytes: Array(Self.plan.utf8), round: round.id)
    request.dryRun = true
    let dry = try d.importPlan(request, actor: "cm")
    #expect(dry.headerRow == 5 && dry.measures == 4 && dry.dryRun)
    #expect(try d.measures(actor: "aud").isEmpty)
    request.dryRun = false
    let loaded = try d.importPlan(request, actor: "cm")
    #expect((loaded.aspects, loaded.problems, loaded.measures) == (2, 3, 4))
    let measures = try d.measures(round: round.id, actor: "aud")
    #expect(measures.map(\.ref) == ["\(round.id)-1", "\(round.id)-2", "\(round.id)-3", "\(round.id)-4"])
    #expect(measures[0].units == ["市住房和城乡建设局", "雷城街道"])
    #expect(measures[0].target == MeasureTarget(value: 119, unit: "宗"))
    #expect(measures[1].aspect == "一、落实新发展理念不到位" && measures[1].problem == "新城大道遗留问题多")
    #expect(measures[1].category == .immediate && measures[1].leadLogin == "boss")
    #expect(measures[2].category == .deadline(CivilDate(year: 2021, month: 11, day: 30)!))
    #expect(measures[3].category == .longTerm)
    #expect(measures.allSatisfy { $0.state == .planned })
    // By unit: the measures a unit is responsible for, the lead unit or not.
    #expect(try d.measures(unit: "雷城街道", actor: "aud").map(\.number) == [1])
    let events = try d.journalLog(ref: nil, actor: "aud").map {
      JournalEvent(name: $0.event, payload: $0.payload)
    }
    #expect(events.contains { if case .planImported(_, 2, 3, 4, _) = $0 { true } else { false } })
    // Imported once.
    expectRefusal(.refused) { () throws(DocketError) in try d.importPlan(request, actor: "cm") }
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test("a plan with bad rows names each problem by row, column and header, and writes nothing")
  func refusesBadRows() throws {
    let round = try round()
    let bad = [
      "序号,方面,问题,整改措施,牵头领导,责任单位,完成时限,目标",
      "1,一、方面,问题甲,措施一,无此人,市住房和城乡建设局,2021-12-31,",
      "1,,,措施二,boss,不存在的局,明年,很多",
      "x,,,,boss,,2021-12-31,",
    ].joined(separator: "\n")
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try d.importPlan(PlanRequest(fileName: "清单.csv", bytes: Array(bad.utf8), round: round.id), actor: "cm")
    }
    let text = error?.description ?? ""
    for expected in [
      "清单.csv: nothing was imported", "row 2, column E (牵头领导): '无此人' is no active staff member",
      "row 3, column A (序号): measure 1 is numbered twice (also row 2)",
      "row 3, column G (完成时限): '明年' is not a date",
      "row 3, column H (目标): '很多' is not a number", "row 4, column A (序号): 'x' is not a measure's number",
      "row 4, column D (整改措施): no measure text", "row 4, column F (责任单位): no responsible unit",
    ] {
      #expect(text.contains(expected), "\(expected) in: \(text)")
    }
    #expect(try d.measures(actor: "aud").isEmpty)
    let noHeader = expectRefusal(.invalid) { () throws(DocketError) in
      try d.importPlan(
        PlanRequest(fileName: "清单.csv", bytes: Array("甲,乙\n1,2\n".utf8), round: round.id), actor: "cm")
    }
    #expect(noHeader?.description.contains("no column for 序号 (number)") == true)
  }

  @Test("a handler cannot add a round or import a plan, and lists only their unit's measures")
  func permissions() throws {
    let round = try round()
    _ = try d.importPlan(
      PlanRequest(fileName: "清单.csv", bytes: Array(Self.plan.utf8), round: round.id), actor: "cm")
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.addRound(name: "另一轮", team: "省委巡视组", feedbackDate: "2021-06-28", reportDue: nil, actor: "h1")
    }
    #expect(try d.measures(actor: "h1").map(\.number) == [4])
    let raw = try Connection(
      conninfo: try scene.test.staffOnOwnRole("p.h2", name: "承办二乙", roles: [.handler], unit: "第二纪检监察室"))
    #expect(try raw.query("SELECT id FROM measures").isEmpty)
  }

  @Test("a plan's 完成时限 and 目标 read as offices write them")
  func parsing() {
    #expect(MeasureCategory.parse("2021/12/31") == .deadline(CivilDate(year: 2021, month: 12, day: 31)!))
    #expect(MeasureCategory.parse("2021年12月31日") == .deadline(CivilDate(year: 2021, month: 12, day: 31)!))
    #expect(MeasureCategory.parse("2022年2月") == .deadline(CivilDate(year: 2022, month: 2, day: 28)!))
    #expect(MeasureCategory.parse("立行立改，长期坚持") == .longTerm)
    #expect(MeasureCategory.parse("尽快") == nil)
    #expect(MeasureTarget.parse("1232项") == MeasureTarget(value: 1232, unit: "项"))
    #expect(MeasureTarget.parse("77.5") == MeasureTarget(value: 77.5, unit: nil))
    #expect(PlanChecker.units("市住建局、雷城街道，客路镇;\n市公安局") == ["市住建局", "雷城街道", "客路镇", "市公安局"])
    #expect(MeasureMove.progress.target(from: .reopened) == .inProgress)
    #expect(MeasureMove.signOff.target(from: .inProgress) == nil)
    #expect(MeasureMove.reopen.target(from: .signedOff) == .reopened)
  }
}
