import ArgumentParser
import DocketCore
import DocketService
import Foundation

struct CalendarCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "calendar", abstract: "The working-day calendar: public holidays and adjusted working days.",
    subcommands: [Show.self, Import.self])

  struct Show: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "A year's holidays and adjusted working days.")
    @Option(help: "The year.") var year: Int
    @OptionGroup var actor: ActorOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let entries = try connection.open().calendarYear(year, actor: actor.actor)
      if json {
        return write(
          JSONValue.object([
            ("year", .number(Int64(year))),
            (
              "days",
              .array(
                entries.map {
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
      for entry in entries {
        let kind = entry.kind == .holiday ? (zh ? "放假" : "holiday") : (zh ? "调休上班" : "working day")
        table.append([entry.date.description, weekdays[entry.date.weekday - 1], kind, entry.name])
      }
      write(table.render())
    }
  }

  struct Import: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import holiday schedules from a CSV of date,kind[,name] (kind: holiday or workday).",
      discussion: "Each year in the file replaces that year's schedule; the file is checked whole first.")
    @Argument(help: "The CSV file (UTF-8).") var file: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw .invalid("The calendar file \(file) cannot be read.")
      }
      guard let text = String(data: data, encoding: .utf8) else {
        throw .invalid("The calendar file \(file) is not UTF-8 text; save it as CSV UTF-8.")
      }
      let years = try connection.open().importCalendar(csv: text, file: file, actor: actor.actor)
      write("imported \(years.map(String.init).joined(separator: ", "))\n")
    }
  }
}
