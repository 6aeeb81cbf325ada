import ArgumentParser
import DocketService
import Foundation

struct DatabaseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "db", abstract: "Set up, migrate, start and stop the database.",
    subcommands: [Init.self, Migrate.self, Status.self, StartServer.self, StopServer.self])

  struct Init: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Create (embedded) or prepare (configured) the database: migrations, identity key, first administrator."
    )
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open(checkSchema: false)
      try docket.initialize()
      let status = try docket.status()
      write(
        "docket database ready: \(status.url)\nidentity key: \(docket.keyFile.url.path) (mode 0600; back it up apart from the database)\n"
      )
    }
  }

  struct Migrate: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations from sql/.")
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open(checkSchema: false)
      let report = try docket.migrate()
      var lines = report.applied.map { "applied \($0)\n" }
      if report.clocksWorkedOut > 0 {
        lines.append(
          "worked out the deadline clocks of \(report.clocksWorkedOut) item(s) from their journals\n")
      }
      write(lines.isEmpty ? "Nothing to apply.\n" : lines.joined())
    }
  }

  struct Status: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print the connection string of the database in use and its migrations.")
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      // Never starts the embedded database: a stopped one is reported stopped.
      let (status, docket) = try Docket.status(databaseURL: connection.databaseURL)
      let notices = try docket?.calendarNotices() ?? []
      if json {
        let migrations = status.migrations.map { entry in
          JSONValue.object([
            ("applied_at", .time(entry.appliedAt)), ("changed", .bool(entry.changed)),
            ("name", .string(entry.name)), ("version", .number(Int64(entry.version))),
          ])
        }
        return write(
          JSONValue.object([
            ("migrations", .array(migrations)), ("origin", .string(status.origin)),
            ("running", status.embeddedRunning.map(JSONValue.bool) ?? .null), ("url", .string(status.url)),
            ("user", status.user.map(JSONValue.string) ?? .null), ("warnings", warningsJSON(notices)),
          ]))
      }
      complain(notices)
      var text = "url: \(status.url)\nfrom: \(status.origin)\n"
      if status.embeddedRunning == false {
        text += "running: no (start it with 'docket db start'; its migrations are read once it runs)\n"
      }
      if let user = status.user { text += "user: \(user)\n" }
      for entry in status.migrations {
        let state =
          entry.changed
          ? "CHANGED since applied" : entry.appliedAt.map { "applied \($0.rfc3339)" } ?? "pending"
        text += "  \(entry.name): \(state)\n"
      }
      write(text)
    }
  }

  struct StartServer: DocketCommand {
    static let configuration = CommandConfiguration(
      commandName: "start", abstract: "Start the embedded database (creating it on first use).")
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let url = try Docket.startEmbedded(databaseURL: connection.databaseURL)
      write("embedded database running: \(url)\n")
    }
  }

  struct StopServer: DocketCommand {
    static let configuration = CommandConfiguration(
      commandName: "stop", abstract: "Stop the embedded database.")
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      try Docket.stopEmbedded(databaseURL: connection.databaseURL)
      write("embedded database stopped.\n")
    }
  }
}
