import Foundation
import Testing

@testable import DocketCore

/// Where a rectification measure stands at a moment, from its plan and history alone (issue 17).
@Suite("Rectification: a measure's standing, milestones and the report's totals")
struct MeasureStandingTests {
  let office = OfficeTime.beijing
  /// No published year: weekends and the provisional statutory holidays.
  let calendar = WorkingCalendar(publishedYears: [])
  let planned = try! OfficeTime.beijing.parse("2021-07-01 09:00")

  func at(_ text: String) -> Date { try! office.parse(text) }

  func entry(
    _ kind: MeasureEntryKind, _ time: String, state: MeasureState, done: Double? = nil, on: String? = nil
  )
    -> MeasureEntry
  {
    MeasureEntry(
      kind: kind, effectiveAt: at(time), recordedAt: at("2021-10-08 12:00"), actor: "h1", note: "\(kind)",
      done: done, state: state, milestoneOn: on.flatMap(CivilDate.init))
  }

  func standing(_ entries: [MeasureEntry], due: String?, asOf: String) -> MeasureStanding {
    MeasureStanding.at(
      at(asOf), plannedAt: planned, entries: entries, due: due.flatMap(CivilDate.init), calendar: calendar,
      office: office, thresholds: WarningThresholds(blue: 15, amber: 5))
  }

  @Test("due and not signed off is lagging, completed awaiting sign-off included; signed off is not")
  func lagging() {
    let completed = [
      entry(.progress, "2021-07-10 09:00", state: .inProgress),
      entry(.completed, "2021-09-05 09:00", state: .completed),
    ]
    #expect(!standing(completed, due: "2021-09-10", asOf: "2021-09-10 17:00").lagging)
    let late = standing(completed, due: "2021-09-10", asOf: "2021-09-15 09:00")
    #expect(late.lagging && late.warning == .red && late.state == .completed)
    // Due on a Friday: Monday 13th to Wednesday 15th.
    #expect(late.workingDaysOverdue == 3)
    let signed = completed + [entry(.signedOff, "2021-09-08 09:00", state: .signedOff)]
    #expect(!standing(signed, due: "2021-09-10", asOf: "2021-09-15 09:00").lagging)
    // Before the plan was entered, the measure was not in the ledger.
    #expect(standing([], due: "2021-09-30", asOf: "2021-06-30 09:00").state == nil)
  }

  @Test("an entry counts from its effective time, not from when it was typed in")
  func asOfExact() {
    let entries = [entry(.progress, "2021-09-10 09:00", state: .inProgress, done: 50)]
    let before = standing(entries, due: "2021-12-31", asOf: "2021-09-09 23:59")
    #expect(before.state == .planned && before.done == nil)
    let after = standing(entries, due: "2021-12-31", asOf: "2021-09-10 09:00")
    #expect(after.state == .inProgress && after.done == 50 && after.latestNote == "progress")
  }

  @Test(
    "behind a milestone is lagging: a figure not reached, or a review date with no progress since the last")
  func milestones() {
    let figure = [
      entry(.milestone, "2021-07-02 09:00", state: .planned, done: 60, on: "2021-08-31"),
      entry(.progress, "2021-08-20 09:00", state: .inProgress, done: 40),
    ]
    let short = standing(figure, due: "2021-12-31", asOf: "2021-09-03 09:00")
    #expect(short.lagging && short.warning == .red)
    #expect(short.missedMilestone == Milestone(day: CivilDate("2021-08-31")!, done: 60, note: "milestone"))
    // 2021-09-01, 02 and 03.
    #expect(short.workingDaysOverdue == 3)
    #expect(!standing(figure, due: "2021-12-31", asOf: "2021-08-31 17:00").lagging)
    let reached = figure + [entry(.progress, "2021-09-06 09:00", state: .inProgress, done: 61)]
    #expect(!standing(reached, due: "2021-12-31", asOf: "2021-09-07 09:00").lagging)

    // A long-term measure's review dates: each needs a progress entry after the one before.
    let reviews = [
      entry(.milestone, "2021-07-02 09:00", state: .planned, on: "2021-09-30"),
      entry(.milestone, "2021-07-02 09:01", state: .planned, on: "2021-12-31"),
      entry(.progress, "2021-09-15 09:00", state: .inProgress),
    ]
    #expect(!standing(reviews, due: nil, asOf: "2021-10-08 09:00").lagging)
    let missed = standing(reviews, due: nil, asOf: "2022-01-04 09:00")
    #expect(missed.lagging && missed.missedMilestone?.day == CivilDate("2021-12-31"))
    #expect(
      !standing(
        reviews + [entry(.progress, "2021-12-20 09:00", state: .inProgress)], due: nil,
        asOf: "2022-01-04 09:00"
      ).lagging)
    // A milestone set later than the as-of time was not there to miss.
    #expect(
      !standing(
        [entry(.milestone, "2021-10-01 09:00", state: .planned, on: "2021-08-01")], due: nil,
        asOf: "2021-09-01 09:00"
      ).lagging)
    // Completed, the measure has done what its milestones asked.
    #expect(
      !standing(
        figure + [entry(.completed, "2021-09-01 09:00", state: .completed)], due: "2021-12-31",
        asOf: "2021-09-03 09:00"
      ).lagging)
  }

  @Test("a 立行立改 measure is due on the round's report date, or N working days after the feedback")
  func immediateDue() {
    let feedback = CivilDate("2021-06-28")!
    #expect(
      MeasureCategory.immediate.due(
        feedback: feedback, reportDue: CivilDate("2021-08-31"), immediateWorkingDays: 30, calendar: calendar)
        == CivilDate("2021-08-31"))
    #expect(
      MeasureCategory.immediate.due(
        feedback: feedback, reportDue: nil, immediateWorkingDays: 5, calendar: calendar)
        == CivilDate("2021-07-05"))
    #expect(
      MeasureCategory.longTerm.due(
        feedback: feedback, reportDue: nil, immediateWorkingDays: 5, calendar: calendar) == nil)
  }

  @Test("a link's filter reads key=value words and says what is wrong with a bad one")
  func caseFilter() throws {
    let filter = try CaseFilter.parse("kind=clue category=涉警问题 batch=3")
    #expect(filter.kinds == [.clue] && filter.categories == ["涉警问题"] && filter.batches == [3])
    #expect(throws: VocabularyError.self) { try CaseFilter.parse("kind=rumour") }
    #expect(throws: VocabularyError.self) { try CaseFilter.parse("colour=red") }
  }
}
