import ArgumentParser
import DocketService
import Foundation

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Reports: the monthly closure rate (办结率) and the weekly bulletin.",
    subcommands: [Monthly.self, Weekly.self])

  /// Writes `text` to `path`, or to standard output when there is none.
  static func emit(_ text: String, to path: String?) throws(DocketError) {
    guard let path else { return write(text) }
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw .invalid("Cannot write the report to \(path): \(error.localizedDescription)")
    }
  }

  struct Weekly: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "The weekly bulletin: intake by channel and kind, closures by unit, items turning amber or red.")
    @Option(help: "The ISO week, YYYY-Www (for example 2021-W47).") var week: String?
    @Option(help: "Or the first day, YYYY-MM-DD…") var from: String?
    @Option(help: "…and the last day, YYYY-MM-DD (inclusive).") var to: String?
    @Option(help: "table, csv, md, html or json.") var format: Format = .table
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(help: "Print JSON (the same as --format json).") var json = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let period = try docket.bulletinPeriod(week: week, from: from, to: to)
      let bulletin = try docket.weeklyBulletin(from: period.from, to: period.to, actor: actor.actor)
      let document = BulletinDocument(bulletin: bulletin, language: language.language)
      switch json ? .json : format {
      case .table: try ReportCommand.emit(document.table(), to: out)
      case .csv: try ReportCommand.emit(document.csv(), to: out)
      case .md: try ReportCommand.emit(document.markdown(), to: out)
      case .html: try ReportCommand.emit(document.html(), to: out)
      case .json: try ReportCommand.emit(document.json().render(), to: out)
      }
    }
  }

  /// How a report is written.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, csv, md, html, json
  }

  struct Monthly: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "The monthly closure-rate report (办结率), as of the end of the month.",
      discussion: """
        The figures, all as of the end of the month in the office's time zone: received (duplicates \
        apart), closed (closed, forwarded or not accepted at the month's end, last closed in the month), \
        the cohort and its closure rate, the on-time rate, open and overdue at the end, duplicates, the \
        median days to close, and the same month a year before (同比).
        """)
    @Option(help: "The month, YYYY-MM.") var month: String
    @Option(help: "Break down by unit, kind, source, channel or category; two at most (unit,kind).")
    var by: String?
    @Option(help: "The items the closure rate is about: ytd (default), all, or since:YYYY-MM-DD.")
    var cohort: String = "ytd"
    @Option(help: "Only this kind (repeatable).") var kind: [Kind] = []
    @Option(help: "Only this source (repeatable).") var source: [Source] = []
    @Option(help: "Only this channel (repeatable).") var channel: [Channel] = []
    @Option(help: "Only this category (repeatable).") var category: [String] = []
    @Option(help: "Only items this unit is responsible for at the end of the month (repeatable).")
    var unit: [String] = []
    @Option(
      help:
        "A filter as dimension:value, e.g. source:inspection or kind:clue (repeatable; the same as --kind, --source, --channel, --category, --unit)."
    )
    var scope: [String] = []
    @Option(help: "Month boundaries in this IANA time zone (default the office's).") var timezone: String?
    @Option(help: "table, csv, md, html or json.") var format: Format = .table
    @Option(help: "Write to this file instead of standard output.") var out: String?
    @Flag(help: "Print JSON (the same as --format json).") var json = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      guard let reportMonth = ReportMonth(month) else {
        throw .invalid("--month \(month) is not a month; write YYYY-MM, for example 2021-11.")
      }
      guard let cohortValue = Cohort(cohort) else {
        throw .invalid("--cohort \(cohort) is not a cohort; write ytd, all or since:YYYY-MM-DD.")
      }
      var request = MonthlyReportRequest(month: reportMonth)
      request.cohort = cohortValue
      request.kinds = kind
      request.sources = source
      request.channels = channel
      request.categories = category
      request.units = unit
      request.timeZone = timezone
      for filter in scope {
        let parts = filter.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let dimension = ReportDimension.parse(parts[0]) else {
          throw .invalid(
            "--scope \(filter) is not a filter; write dimension:value with a dimension of \(ReportDimension.allCases.map(\.rawValue).joined(separator: ", "))."
          )
        }
        let value = parts[1]
        func term<T: Term>(_: T.Type) throws(DocketError) -> T {
          guard let parsed = T.parse(value) else {
            throw .invalid(
              "--scope \(filter): '\(value)' is not a \(dimension.rawValue); use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))."
            )
          }
          return parsed
        }
        switch dimension {
        case .kind: request.kinds.append(try term(Kind.self))
        case .source: request.sources.append(try term(Source.self))
        case .channel: request.channels.append(try term(Channel.self))
        case .category: request.categories.append(value)
        case .unit: request.units.append(value)
        }
      }
      for name in (by ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
      where !name.isEmpty {
        guard let dimension = ReportDimension.parse(name) else {
          throw .invalid(
            "--by \(name) is not a breakdown; use \(ReportDimension.allCases.map(\.rawValue).joined(separator: ", "))."
          )
        }
        request.dimensions.append(dimension)
      }
      let docket = try connection.open()
      let report = try docket.monthlyReport(request, actor: actor.actor)
      let notices = try docket.calendarNotices()
      let document = ReportDocument(report: report, language: language.language)
      let format = json ? .json : format
      if format != .json { complain(notices) }
      let text: String
      switch format {
      case .table: text = document.table()
      case .csv: text = document.csv()
      case .md: text = document.markdown()
      case .html: text = document.html()
      case .json: text = document.json(warnings: notices).render()
      }
      try ReportCommand.emit(text, to: out)
    }
  }
}
