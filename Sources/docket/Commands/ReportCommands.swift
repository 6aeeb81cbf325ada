import ArgumentParser
import DocketCore
import DocketService
import Foundation

struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Reports: the monthly closure rate (办结率).",
    subcommands: [Monthly.self])

  /// How a report is written.
  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, csv, md, html, json
  }

  struct Monthly: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "The monthly closure-rate report (办结率), as of the end of the month.",
      discussion: """
        Figures follow DESIGN.md: received (duplicates excluded), closed in the month and still closed at \
        its end, the cohort and its closure rate, on-time rate, open and overdue at the end, duplicates, \
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
      let document = ReportDocument(report: report, language: language.language)
      let text: String
      switch json ? .json : format {
      case .table: text = document.table()
      case .csv: text = document.csv()
      case .md: text = document.markdown()
      case .html: text = document.html()
      case .json: text = document.json().render()
      }
      guard let out else { return write(text) }
      do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
      } catch {
        throw .invalid("Cannot write the report to \(out): \(error.localizedDescription)")
      }
    }
  }
}
