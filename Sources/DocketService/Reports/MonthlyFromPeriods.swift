import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// The report worked out item by item from the stored periods (any time zone, any cohort).
  func reportFromPeriods(
    _ request: MonthlyReportRequest, scope: ReportScope, time: OfficeTime, unitNames: [Int: String]
  ) throws(DocketError) -> MonthlyReport {
    let month = request.month
    let items = try reportItems(receivedBefore: month.end(in: time))
    func figures(_ month: ReportMonth, where keep: (ReportItem, ReportPeriod) -> Bool = { _, _ in true })
      -> MonthlyFigures
    {
      let end = month.end(in: time)
      return MonthlyFigures(
        month: month, office: time, cohort: request.cohort,
        items: items.filter { item in
          guard let period = item.period(before: end) else { return false }
          return scope.contains(item, unitID: period.unitID) && keep(item, period)
        })
    }
    func key(_ item: ReportItem, _ period: ReportPeriod) -> [String?] {
      request.dimensions.map { dimension in
        switch dimension {
        case .unit: period.unitID.flatMap { unitNames[$0] }
        case .kind: item.kind.rawValue
        case .source: item.source.rawValue
        case .channel: item.channel.rawValue
        case .category: item.category
        }
      }
    }
    let lastYear = month.adding(months: -12)
    let totals = figures(month)
    var groups: [ReportGroup] = []
    if !request.dimensions.isEmpty {
      var keys: Set<[String?]> = []
      for end in [month.end(in: time), lastYear.end(in: time)] {
        for item in items {
          guard let period = item.period(before: end), scope.contains(item, unitID: period.unitID) else {
            continue
          }
          keys.insert(key(item, period))
        }
      }
      for groupKey in keys {
        let current = figures(month) { key($0, $1) == groupKey }
        let previous = figures(lastYear) { key($0, $1) == groupKey }
        guard current != MonthlyFigures() else { continue }
        groups.append(
          ReportGroup(
            key: groupKey, figures: current, yoy: YearOverYear(current: current, previous: previous)))
      }
    }
    return MonthlyReport(
      month: month, timeZone: time.timeZone.identifier, cohort: request.cohort,
      dimensions: request.dimensions, scopeDescription: scopeWords(request), totals: totals,
      yoy: YearOverYear(current: totals, previous: figures(lastYear)), groups: Self.sortedGroups(groups),
      history: (-11...0).map { offset in
        let past = month.adding(months: offset)
        guard offset < 0 else { return (past, totals) }
        // The chart shows counts and rates; a median for each past month would be work for nothing.
        var counts = figures(past)
        counts.medianDaysToClose = nil
        return (past, counts)
      }, closureTarget: nil)
  }

  /// Every item received before `end` with its report periods; an item whose stored periods are
  /// not current is worked out from its journal here.
  func reportItems(receivedBefore end: Date) throws(DocketError) -> [ReportItem] {
    var stored = try store { try ReportRepository(db).items(receivedBefore: end) }
    let stale = stored.indices.filter { stored[$0].clocksThrough == nil }
    if !stale.isEmpty {
      let ids = stale.map { stored[$0].id }
      let journals = try store { try JournalRepository(db).entries(itemIDs: ids) }
      let subjects = Dictionary(
        try store { try ItemRepository(db).summaries(itemIDs: ids) }.map { ($0.id, $0.clockSubject) }
      ) { a, _ in a }
      let engine = try clockEngine()
      let units = try unitIDs()
      for index in stale {
        let id = stored[index].id
        guard let subject = subjects[id] else { continue }
        stored[index].item.periods =
          Self.work(id, subject, journals[id] ?? [], engine: engine, units: units).periods
      }
    }
    return stored.map(\.item)
  }
}
