import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// The report from the rollup: counts summed over cells, medians over the periods closed in the
  /// month. Only for the office's time zone and a cohort starting on the first of a month.
  func reportFromRollup(
    _ request: MonthlyReportRequest, scope: ReportScope, time: OfficeTime, unitNames: [Int: String]
  ) throws(DocketError) -> MonthlyReport {
    let reports = ReportRepository(db)
    let month = request.month
    let lastYear = month.adding(months: -12)
    func cohortStart(_ month: ReportMonth) -> CivilDate? {
      switch request.cohort {
      case .yearToDate: CivilDate(year: month.year, month: 1, day: 1)
      case .all: nil
      case .since(let day): day
      }
    }
    let cells = try store { try reports.rollup(through: month.firstDay, scope: scope) }
    func counts(_ month: ReportMonth) -> MonthlyFigures {
      MonthlyFigures(cells: cells, month: month.firstDay, cohortStart: cohortStart(month))
    }
    func medians(_ dimensions: [ReportDimension]) throws(DocketError) -> [[ReportDimension: String]: Double] {
      try store {
        try reports.medianDaysToClose(
          start: month.start(in: time), end: month.end(in: time), scope: scope, dimensions: dimensions)
      }
    }
    var totals = counts(month)
    totals.medianDaysToClose = try medians([])[[:]].map(Self.tenths)
    var groups: [ReportGroup] = []
    if !request.dimensions.isEmpty {
      let rows = try store {
        try reports.groupCounts(
          month: month.firstDay, cohortStart: cohortStart(month), earlier: lastYear.firstDay,
          earlierCohortStart: cohortStart(lastYear), scope: scope, dimensions: request.dimensions)
      }
      let groupMedians = try medians(request.dimensions)
      for row in rows where row.current != MonthlyFigures() {
        var current = row.current
        current.medianDaysToClose = groupMedians[row.key].map(Self.tenths)
        let key = request.dimensions.map { dimension -> String? in
          guard let value = row.key[dimension] else { return nil }
          return dimension == .unit ? Int(value).flatMap { unitNames[$0] } : value
        }
        groups.append(
          ReportGroup(key: key, figures: current, yoy: YearOverYear(current: current, previous: row.earlier)))
      }
    }
    return MonthlyReport(
      month: month, timeZone: time.timeZone.identifier, cohort: request.cohort,
      dimensions: request.dimensions, scopeDescription: scopeWords(request), totals: totals,
      yoy: YearOverYear(current: totals, previous: counts(lastYear)), groups: Self.sortedGroups(groups),
      history: (-11...0).map { offset in
        let past = month.adding(months: offset)
        return (past, offset == 0 ? totals : counts(past))
      }, closureTarget: nil)
  }

  /// A number of days to a tenth, as the item-by-item median rounds it.
  static func tenths(_ days: Double) -> Double { (days * 10).rounded() / 10 }
}
