import ArgumentParser
import DocketService
import Foundation

struct Overdue: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "The overdue board (挂图作战): open items with a deadline warning, by responsible unit.")
  @Option(help: "Judge warnings as of this time (default now).") var asOf: String?
  @Option(
    help: "Issue supervision letters (提醒函, 催办函, 督办函), one per unit, as Markdown and HTML into this directory."
  )
  var letters: String?
  @OptionGroup var actor: ActorOptions
  @OptionGroup var language: LanguageOption
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print JSON.") var json = false

  func execute() throws(DocketError) {
    let docket = try connection.open()
    if let letters {
      let issued = try docket.issueLetters(asOf: try docket.time(asOf, option: "--as-of"), actor: actor.actor)
      let paths = try LetterDocument.write(issued, to: letters)
      return write(
        issued.map { "\($0.title)  \($0.unit)  \($0.lines.count) 件\n" }.joined()
          + paths.map { $0 + "\n" }.joined())
    }
    let moment = try docket.time(asOf, option: "--as-of")
    let lines = try docket.overdueBoard(asOf: moment, actor: actor.actor)
    let notices = try docket.calendarNotices()
    if json {
      return JSONValue.printObject(
        [("as_of", .time(moment ?? docket.now())), ("warnings", warningsJSON(notices))], streaming: "items",
        lines.lazy.map { line in
          .object([
            ("clock", .string(line.clock.clock.rawValue)), ("due", .string(line.clock.due.description)),
            ("provisional", .bool(line.clock.provisional)),
            ("handler", .text(line.item.handlerLogin)), ("ref", .string(line.item.ref)),
            ("state", .string(line.item.state.rawValue)), ("subject", .string(line.item.subject)),
            ("unit", .text(line.item.unitName)), ("warning", .string(line.clock.warning.rawValue)),
            ("working_days_overdue", .number(Int64(line.workingDaysOverdue))),
          ])
        }, to: .standardOutput)
    }
    complain(notices)
    let zh = language.language == .chinese
    var table = TextTable(
      headers: zh
        ? ["承办单位", "编号", "事由", "时限", "到期", "逾期工作日", "预警", "承办人"]
        : ["Unit", "Ref", "Subject", "Clock", "Due", "Working days overdue", "Warning", "Handler"],
      alignments: [.left, .left, .left, .left, .left, .right, .left, .left])
    for line in lines {
      table.append([
        line.item.unitName ?? (zh ? "（未交办）" : "(unassigned)"), line.item.ref, line.item.subject,
        line.clock.clock.label(language.language), line.clock.dueLabel(language.language),
        String(line.workingDaysOverdue), line.clock.warning.label(language.language),
        line.item.handlerLogin ?? "—",
      ])
    }
    write(table.render() + (zh ? "共 \(lines.count) 件\n" : "\(lines.count) item(s)\n"))
  }
}
