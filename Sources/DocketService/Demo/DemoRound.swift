import DocketCore
import Foundation

extension DemoScenario {
  /// The round's name, as the seed's title has it.
  static let roundName = "落实省委第四巡视组反馈意见整改"

  /// Loads the seed's round through the same use cases the rectification office uses: the plan
  /// (4 aspects, 19 problems, 62 measures) adopted in February 2021, the secretary's 8 claimed
  /// measures, the figures as progress entries or live links to the case ledger, the sign-offs, and
  /// the letters to the units lagging on 2021-11-30. Returns the round's id.
  mutating func loadRound() throws(DocketError) -> Int {
    let known = Set(try docket.units(actor: admin).map(\.name))
    for unit in Self.roundUnits where !known.contains(unit) { _ = try docket.addUnit(unit, actor: admin) }
    for leader in Self.roundLeaders {
      _ = try docket.addStaff(
        login: leader.login, name: leader.name, roles: [.leader], unit: nil, actor: admin)
    }
    // The case office (案管) keeps the ledger as the rectification office.
    let office = "ag.wang"
    let round = try docket.addRound(
      name: Self.roundName, team: "省委第四巡视组", feedbackDate: "2021-01-27", reportDue: "2021-03-31",
      actor: office)
    var plan = PlanRequest(fileName: "整改任务清单.csv", bytes: Array(Self.roundPlan.utf8), round: round.id)
    plan.at = at(2, 5, hour: 10)
    _ = try docket.importPlan(plan, actor: office)
    func ref(_ number: Int) -> String { MeasureSummary.ref(round: round.id, number: number) }
    for number in Self.secretaryClaims {
      _ = try docket.claimMeasure(ref(number), actor: "sw.secretary", MoveOptions(at: at(2, 8, hour: 9)))
    }
    for (number, filter) in Self.roundLinks {
      let link: MeasureLink
      if filter == "batch", let handoverBatch {
        link = .batch(handoverBatch)
      } else {
        do { link = .filter(try CaseFilter.parse(filter)) } catch { throw .invalid(error.description) }
      }
      _ = try docket.linkMeasure(ref(number), to: link, actor: office, MoveOptions(at: at(2, 10, hour: 9)))
    }
    let leads = Dictionary(
      try docket.measures(round: round.id, actor: office).map { ($0.number, $0.leadLogin) }
    ) { a, _ in a }
    for entry in Self.roundProgress {
      let measure = ref(entry.number)
      _ = try docket.recordProgress(
        measure, note: entry.note, done: entry.done, actor: entry.by,
        MoveOptions(at: at(entry.month, entry.day, hour: 9)))
      guard entry.complete else { continue }
      _ = try docket.completeMeasure(
        measure, note: "整改任务已完成，申请对账销号", actor: entry.by,
        MoveOptions(at: at(entry.month, entry.day, hour: 11)))
      guard entry.signedOff, let lead = leads[entry.number] else { continue }
      _ = try docket.signOffMeasure(
        measure, actor: office, MoveOptions(at: at(entry.month, entry.day, hour: 15), note: "对账核实"))
      _ = try docket.signOffMeasure(
        measure, approve: true, actor: lead, MoveOptions(at: at(entry.month, entry.day, hour: 17)))
    }
    _ = try docket.issueRectificationLetters(round: round.id, asOf: at(11, 30, hour: 17), actor: office)
    for (key, value) in [
      ("feedback_phone", "0759-8814115"),
      ("feedback_address", "湛江市雷州市雷州大道8号市委市政府大院（市委办公室），邮政编码524200"),
      ("feedback_envelope_note", "对雷州市委关于巡视整改情况的意见建议"),
      ("feedback_email", "lzswdc007@163.com"),
    ] {
      try docket.setSetting(key, value, actor: admin)
    }
    return round.id
  }

  /// A time in 2021 in the office.
  func at(_ month: Int, _ day: Int, hour: Int) -> Date {
    self.day(2021, month, day).addingTimeInterval(Double(hour) * 3600)
  }
}
