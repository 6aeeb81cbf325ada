import ArgumentParser
import DocketService
import Foundation

struct CalendarCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calendar", abstract: "The working-day calendar: public holidays and adjusted working days.",
    subcommands: [Show.self, Import.self])

  struct Show: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "A year's holidays and adjusted working days, or without --year which years are published.",
      discussion: """
        A year whose State Council schedule has not been imported is provisional: its statutory holidays \
        (with days in lieu) are listed, and no adjusted working day, since 调休 is not known in advance.
        """)
    @Option(help: "The year.") var year: Int?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      guard let year else { return try years(docket) }
      let shown = try docket.calendarYear(year, actor: actor.actor)
      if json {
        return write(
          JSONValue.object([
            ("year", .number(Int64(year))), ("provisional", .bool(shown.provisional)),
            ("source", .text(shown.source)),
            (
              "days",
              .array(
                shown.days.map {
                  .object([
                    ("date", .string($0.date.description)), ("kind", .string($0.kind.rawValue)),
                    ("name", .string($0.name)),
                  ])
                })
            ),
          ]))
      }
      let zh = language.language == .chinese
      let weekdays =
        zh ? ["一", "二", "三", "四", "五", "六", "日"] : ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
      var table = TextTable(headers: zh ? ["日期", "星期", "类型", "名称"] : ["Date", "Day", "Kind", "Name"])
      for entry in shown.days {
        let kind = entry.kind == .holiday ? (zh ? "放假" : "holiday") : (zh ? "调休上班" : "working day")
        table.append([entry.date.description, weekdays[entry.date.weekday - 1], kind, entry.name])
      }
      let heading =
        !shown.provisional
        ? ""
        : zh
          ? "\(year) 年（暂定）：尚未导入国务院办公厅公布的放假安排，以下按《全国年节及纪念日放假办法》推算法定节假日及补假，不含调休；公布后请用 docket calendar import FILE 导入。\n"
          : "\(year) (provisional): the State Council's schedule has not been imported; these are the statutory holidays and days in lieu, without 调休. Import the schedule once published with 'docket calendar import FILE'.\n"
      write(heading + table.render())
    }

    private func years(_ docket: Docket) throws(DocketError) {
      let published = try docket.publishedCalendarYears(actor: actor.actor)
      // Every year not listed is provisional, a gap between published years too.
      if json {
        return write(
          JSONValue.object([
            (
              "published",
              .array(
                published.map {
                  .object([("year", .number(Int64($0.year))), ("source", .string($0.source))])
                })
            ),
            ("other_years", .string("provisional")),
          ]))
      }
      let zh = language.language == .chinese
      var table = TextTable(headers: zh ? ["年份", "安排", "来源"] : ["Year", "Schedule", "Source"])
      for entry in published {
        table.append([String(entry.year), zh ? "已公布" : "published", entry.source])
      }
      table.append([
        zh ? "其他年份" : "other years", zh ? "暂定" : "provisional",
        zh ? "法定节假日推算，不含调休" : "statutory holidays, no 调休",
      ])
      write(table.render())
    }
  }

  struct Import: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import holiday schedules from a CSV of date,kind[,name] (kind: holiday or workday).",
      discussion: """
        Each year in the file replaces that year's schedule; the file is checked whole first. In the \
        same transaction every item with a clock running into an imported year has its deadlines and \
        report periods worked out again, and the due dates that moved are counted. --dry-run shows \
        what would move and writes nothing. The format and where the schedule is published: \
        deploy/calendar.md.
        """)
    @Argument(help: "The CSV file (UTF-8).") var file: String
    @Flag(help: "Check the file and show which due dates would move; write nothing.") var dryRun = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw .invalid("The calendar file \(file) cannot be read.")
      }
      guard let text = String(data: data, encoding: .utf8) else {
        throw .invalid("The calendar file \(file) is not UTF-8 text; save it as CSV UTF-8.")
      }
      let result = try connection.open().importCalendar(
        csv: text, file: file, dryRun: dryRun, actor: actor.actor)
      if json { return write(Self.json(result)) }
      write(Self.summary(result))
    }

    static func json(_ result: CalendarImport) -> JSONValue {
      .object([
        ("years", .array(result.years.map { .number(Int64($0)) })), ("dry_run", .bool(result.dryRun)),
        ("items_reworked", .number(Int64(result.itemsReworked))),
        ("clocks_checked", .number(Int64(result.clocksChecked))),
        (
          "moves",
          .array(
            result.moves.map {
              .object([
                ("ref", .string($0.ref)), ("clock", .string($0.clock.rawValue)),
                ("before", .string($0.before.description)), ("after", .string($0.after.description)),
                ("days", .number(Int64($0.days))), ("provisional", .bool($0.provisional)),
              ])
            })
        ),
      ])
    }

    /// What was imported, then how many running due dates moved, by how many days each way.
    static func summary(_ result: CalendarImport) -> String {
      let years = result.years.map(String.init).joined(separator: ", ")
      var out = result.dryRun ? "would import \(years) (dry run: nothing written)\n" : "imported \(years)\n"
      guard result.itemsReworked > 0 else { return out }
      out +=
        "\(result.itemsReworked) item(s) with clocks running into \(years) \(result.dryRun ? "would be" : "were") worked out again; \(result.moves.count) of \(result.clocksChecked) running due date(s) \(result.dryRun ? "would move" : "moved")\n"
      for (days, moves) in Dictionary(grouping: result.moves, by: \.days).sorted(by: { $0.key < $1.key }) {
        let amount = abs(days)
        out +=
          "  \(moves.count) by \(amount) day\(amount == 1 ? "" : "s") \(days < 0 ? "earlier" : "later")\n"
      }
      return out
    }
  }
}
