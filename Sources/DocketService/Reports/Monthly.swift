import DocketCore
import DocketStore
import Foundation

/// What `docket report monthly` asks for, as a person types it; resolved against the database.
public struct MonthlyReportRequest: Sendable {
  public var month: ReportMonth
  public var dimensions: [ReportDimension] = []
  public var cohort: Cohort = .yearToDate
  public var kinds: [Kind] = []
  public var sources: [Source] = []
  public var channels: [Channel] = []
  public var categories: [String] = []
  public var units: [String] = []
  /// An IANA time zone; nil means the office's.
  public var timeZone: String?

  public init(month: ReportMonth) { self.month = month }
}

/// One group of a breakdown: its value in each dimension (nil: none, e.g. not yet assigned).
public struct ReportGroup: Sendable {
  public var key: [String?]
  public var figures: MonthlyFigures
  public var yoy: YearOverYear
}

/// The monthly closure-rate report (办结率), as of the end of the month.
public struct MonthlyReport: Sendable {
  public var month: ReportMonth
  public var timeZone: String
  public var cohort: Cohort
  public var dimensions: [ReportDimension]
  /// The scope as asked, in words, for the heading; empty for everything.
  public var scopeDescription: [String]
  public var totals: MonthlyFigures
  public var yoy: YearOverYear
  public var groups: [ReportGroup]
  /// The twelve months up to and including `month`, oldest first, for the chart.
  public var history: [(month: ReportMonth, figures: MonthlyFigures)]
  /// Closure rates below this fraction are marked.
  public var closureTarget: Double?
}

extension Docket {
  /// The monthly report: every figure of DESIGN.md's table for the scope, a breakdown by up to two
  /// dimensions, the same month a year before, and the last twelve months.
  public func monthlyReport(_ request: MonthlyReportRequest, actor login: String?) throws(DocketError)
    -> MonthlyReport
  {
    try require(try actor(login), .readReports, "read reports")
    guard request.dimensions.count <= 2, Set(request.dimensions).count == request.dimensions.count else {
      throw .invalid("A report is broken down by at most two different dimensions (--by unit,kind).")
    }
    var time = office.time
    if let name = request.timeZone {
      guard let zone = TimeZone(identifier: name) else {
        throw .invalid("'\(name)' is not a time zone; use an IANA name such as Asia/Shanghai.")
      }
      time = OfficeTime(timeZone: zone)
    }
    let month = request.month
    // One snapshot, so that every figure is of the same ledger.
    return try transaction(.repeatableReadOnly) { () throws(DocketError) in
      let units = try store { try UnitRepository(db).all() }
      var scope = ReportScope()
      scope.kinds = request.kinds
      scope.sources = request.sources
      scope.channels = request.channels
      scope.categories = request.categories
      for name in request.units {
        guard let unit = units.first(where: { $0.name == name }) else {
          throw .notFound("unit '\(name)'; list them with 'docket unit list'")
        }
        scope.unitIDs.append(unit.id)
      }
      let items = try reportItems(receivedBefore: month.end(in: time))
      let unitNames = Dictionary(units.map { ($0.id, $0.name) }) { a, _ in a }
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
        let end = month.end(in: time)
        let keys = Set(
          items.compactMap { item -> [String?]? in
            guard let period = item.period(before: end), scope.contains(item, unitID: period.unitID) else {
              return nil
            }
            return key(item, period)
          })
        for groupKey in keys.sorted(by: { $0.map { $0 ?? "" }.lexicographicallyPrecedes($1.map { $0 ?? "" }) }
        ) {
          let current = figures(month) { key($0, $1) == groupKey }
          let previous = figures(lastYear) { key($0, $1) == groupKey }
          groups.append(
            ReportGroup(
              key: groupKey, figures: current, yoy: YearOverYear(current: current, previous: previous)))
        }
      }
      let target = try store { try SettingsRepository(db).value("closure_rate_target_percent") }
        .flatMap(Double.init).map { $0 / 100 }
      return MonthlyReport(
        month: month, timeZone: time.timeZone.identifier, cohort: request.cohort,
        dimensions: request.dimensions, scopeDescription: scopeWords(request), totals: totals,
        yoy: YearOverYear(current: totals, previous: figures(lastYear)), groups: groups,
        history: (-11...0).map { offset in
          let past = month.adding(months: offset)
          return (past, offset == 0 ? totals : figures(past))
        }, closureTarget: target)
    }
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
          work(id, subject, journals[id] ?? [], engine: engine, units: units).periods
      }
    }
    return stored.map(\.item)
  }

  private func scopeWords(_ request: MonthlyReportRequest) -> [String] {
    request.kinds.map(\.chinese) + request.sources.map(\.chinese) + request.channels.map(\.chinese)
      + request.categories + request.units
  }
}
