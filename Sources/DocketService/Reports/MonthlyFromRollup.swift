import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// Whether the rollup can answer for `month` with `cohort`: it keeps months by the office's time
  /// zone, cells by month received, and before last year only the standing at a year's end.
  func rollupAnswers(_ month: ReportMonth, _ cohort: Cohort) -> Bool {
    switch cohort {
    case .yearToDate, .all: true
    case .since(let day): day.day == 1 && day.year >= month.year - 1
    }
  }

  /// The report from the rollup: the standing at the end of the year before last, the changes of
  /// every month since, and medians over the periods closed in the month.
  func reportFromRollup(
    _ request: MonthlyReportRequest, scope: ReportScope, time: OfficeTime, unitNames: [Int: String]
  ) throws(DocketError) -> MonthlyReport {
    let reports = ReportRepository(db)
    let month = request.month
    let lastYear = month.adding(months: -12)
    // History and 同比 reach back into last year; everything before it is a year's-end standing.
    let from = CivilDate(year: month.year - 1, month: 1, day: 1)!
    let dimensions = request.dimensions
    let cells = try store {
      try reports.cells(from: from, through: month.firstDay, scope: scope, dimensions: dimensions)
    }
    let standing = try store {
      try reports.standing(atEndOf: month.year - 2, scope: scope, dimensions: dimensions)
    }
    func cohortStart(_ month: ReportMonth) -> CivilDate? {
      switch request.cohort {
      case .yearToDate: CivilDate(year: month.year, month: 1, day: 1)
      case .all: nil
      case .since(let day): day
      }
    }
    func figures(_ month: ReportMonth, _ cells: [RollupCell], _ standing: [ReportStatus: Int])
      -> MonthlyFigures
    {
      MonthlyFigures(
        cells: cells, month: month.firstDay, cohortStart: cohortStart(month), standing: standing,
        standingInCohort: request.cohort == .all)
    }
    // The totals are the groups' sums: cells and standings add up.
    let allCells = cells.values.flatMap { $0 }
    let allStanding = standing.values.reduce(into: [ReportStatus: Int]()) { sum, counts in
      for (status, n) in counts { sum[status, default: 0] += n }
    }
    let medians = try store {
      try reports.medianDaysToClose(
        start: month.start(in: time), end: month.end(in: time), scope: scope, dimensions: dimensions)
    }
    var totals = figures(month, allCells, allStanding)
    totals.medianDaysToClose = medians.total.map(Self.tenths)
    var groups: [ReportGroup] = []
    if !dimensions.isEmpty {
      for key in Set(cells.keys).union(standing.keys) {
        var current = figures(month, cells[key] ?? [], standing[key] ?? [:])
        guard current != MonthlyFigures() else { continue }
        current.medianDaysToClose = medians.groups[key].map(Self.tenths)
        let previous = figures(lastYear, cells[key] ?? [], standing[key] ?? [:])
        let names = dimensions.map { dimension -> String? in
          guard let value = key[dimension] else { return nil }
          return dimension == .unit ? Int(value).flatMap { unitNames[$0] } : value
        }
        groups.append(
          ReportGroup(key: names, figures: current, yoy: YearOverYear(current: current, previous: previous)))
      }
    }
    return MonthlyReport(
      month: month, timeZone: time.timeZone.identifier, cohort: request.cohort,
      dimensions: dimensions, scopeDescription: scopeWords(request), totals: totals,
      yoy: YearOverYear(current: totals, previous: figures(lastYear, allCells, allStanding)),
      groups: Self.sortedGroups(groups),
      history: (-11...0).map { offset in
        let past = month.adding(months: offset)
        return (past, offset == 0 ? totals : figures(past, allCells, allStanding))
      }, closureTarget: nil)
  }

  /// A number of days to a tenth, as the item-by-item median rounds it.
  static func tenths(_ days: Double) -> Double { (days * 10).rounded() / 10 }
}
