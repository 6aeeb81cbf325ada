import ArgumentParser
import DocketService
import Foundation

@main
struct DocketTool: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "docket",
    abstract: "Register, handle and report petitions, complaints, clues and suggestions (信访举报).",
    discussion: """
      The database is --database-url, else DOCKET_DATABASE_URL, else the PG* environment, else the \
      embedded cluster under $DOCKET_HOME. Exit codes: 0 done, 1 refused or failed, 64 bad usage, \
      65 bad input data, 75 temporary failure (retry later).
      """,
    subcommands: [
      DatabaseCommand.self, Demo.self, IntakeCommand.self, ImportCommand.self, ExportCommand.self,
      ListItems.self,
      ShowItem.self,
      Accept.self, NotAccept.self, MarkDuplicate.self, Forward.self, Assign.self, Start.self,
      Dispose.self, Hold.self, Resume.self, Conclude.self, Close.self, Reopen.self,
      Reveal.self, Redact.self, AuditCommand.self, StaffCommand.self, UnitCommand.self, ConfigCommand.self,
      CalendarCommand.self, PolicyCommand.self, Notify.self, Feedback.self, Extend.self, Overdue.self,
      ReportCommand.self, KeyCommand.self, AttachmentCommand.self, RectifyCommand.self, Status.self,
      ReceiptCommand.self, Search.self,
    ])
}

/// Options every command that touches the database takes.
struct ConnectionOptions: ParsableArguments {
  @Option(
    name: .long,
    help:
      "A libpq connection URI or key=value string (else DOCKET_DATABASE_URL, PG*, or the embedded database).")
  var databaseURL: String?

  func open(checkSchema: Bool = true) throws(DocketError) -> Docket {
    let docket = try Docket.open(databaseURL: databaseURL, checkSchema: checkSchema)
    docket.progress = { ProgressLine.shared.report($0) }
    return docket
  }
}

/// Who acts (`--as`) and, for changes, when (`--at`).
struct ActorOptions: ParsableArguments {
  @Option(
    name: .customLong("as"),
    help: "The staff login acting (default $DOCKET_USER, else the database role's staff member).")
  var actor: String?
}

/// A command whose work is one use case; errors become a sentence on standard error and an exit code.
protocol DocketCommand: ParsableCommand {
  func execute() throws(DocketError)
}

extension DocketCommand {
  func run() throws {
    do {
      try execute()
    } catch {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode(error.exitCode)
    }
  }
}

/// The language of labels in tables (`--lang zh|en`, default Chinese or $DOCKET_LANG).
struct LanguageOption: ParsableArguments {
  @Option(name: .long, help: "Label language: zh or en.")
  var lang: String?

  var language: Language {
    let value = lang ?? ProcessInfo.processInfo.environment["DOCKET_LANG"] ?? "zh"
    return value.lowercased().hasPrefix("en") ? .english : .chinese
  }
}

func write(_ text: String) {
  FileHandle.standardOutput.write(Data(text.utf8))
}

/// A sentence on standard error that does not stop the command (a warning, one message of a batch).
func complain(_ text: String) {
  FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Says on standard error which years deadlines run into without a published holiday schedule.
func complain(_ notices: [CalendarNotice]) {
  for notice in notices { complain(notice.description) }
}

/// The same notices as a JSON document's `warnings` entry.
func warningsJSON(_ notices: [CalendarNotice]) -> JSONValue {
  .array(
    notices.map {
      .object([
        ("kind", .string("provisional_calendar")), ("year", .number(Int64($0.year))),
        ("message", .string($0.description)),
      ])
    })
}

/// Prints a JSON document.
func write(_ json: JSONValue) {
  json.print(to: .standardOutput)
}
