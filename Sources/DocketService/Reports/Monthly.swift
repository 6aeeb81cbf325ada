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
  /// Work the figures out item by item from the stored periods even when the rollup could answer
  /// (slower; the two must agree, which the tests hold them to).
  public var fromPeriods = false

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
  /// The twelve months up to and including `month`, oldest first, for the chart; medians only for
  /// `month` itself.
  public var history: [(month: ReportMonth, figures: MonthlyFigures)]
  /// Closure rates below this fraction are marked.
  public var closureTarget: Double?
}

extension Docket {
  /// The monthly report: every figure of DESIGN.md's table for the scope, a breakdown by up to two
  /// dimensions, the same month a year before, and the last twelve months.
  ///
  /// The counts come from the report rollup when it can answer: the office's time zone, a cohort
  /// starting on the first of a month no earlier than last year, and every item's periods worked
  /// out. Otherwise every item received before the month's end is read with its periods (the
  /// rollup's definition, item by item).
  public func monthlyReport(_ request: MonthlyReportRequest, actor login: String?) throws(DocketError)
    -> MonthlyReport
  {
    let actor = try actor(login)
    try require(actor, .readReports, "read reports")
    var request = request
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
      if !Permissions.seesAllUnits(actor.roles) {
        // A handler's report is their unit's.
        guard let own = actor.unitID, scope.unitIDs.isEmpty || scope.unitIDs == [own] else {
          throw .forbidden(actor: actor.login, action: "read reports on units other than their own")
        }
        scope.unitIDs = [own]
        if request.units.isEmpty { request.units = [actor.unitName ?? String(own)] }
      }
      let unitNames = Dictionary(units.map { ($0.id, $0.name) }) { a, _ in a }
      let unworked = try store { try ReportRepository(db).anyUnworked() }
      let rollup =
        !request.fromPeriods && time.timeZone.identifier == office.time.timeZone.identifier
        && rollupAnswers(request.month, request.cohort) && !unworked
      var report =
        rollup
        ? try reportFromRollup(request, scope: scope, time: time, unitNames: unitNames)
        : try reportFromPeriods(request, scope: scope, time: time, unitNames: unitNames)
      report.closureTarget = try store { try SettingsRepository(db).value("closure_rate_target_percent") }
        .flatMap(Double.init).map { $0 / 100 }
      return report
    }
  }

  /// Groups in a stable order: by their values, none last within a dimension.
  static func sortedGroups(_ groups: [ReportGroup]) -> [ReportGroup] {
    groups.sorted { a, b in
      a.key.map { $0 ?? "\u{10FFFF}" }.lexicographicallyPrecedes(b.key.map { $0 ?? "\u{10FFFF}" })
    }
  }

  func scopeWords(_ request: MonthlyReportRequest) -> [String] {
    request.kinds.map(\.chinese) + request.sources.map(\.chinese) + request.channels.map(\.chinese)
      + request.categories + request.units
  }
}
