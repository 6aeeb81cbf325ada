import ArgumentParser
import DocketService
import Foundation

struct DatabaseCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "db", abstract: "Set up, migrate, start and stop the database.",
    subcommands: [Init.self, Migrate.self, Status.self, StartServer.self, StopServer.self])

  /// `--custodian LOGIN [--custodian-name NAME]` and where the passphrase comes from.
  struct CustodianSetupOptions: ParsableArguments {
    @Option(help: "The leader who becomes the office key's first custodian (made a leader if new).")
    var custodian: String?
    @Option(help: "The custodian's name, when no staff member has that login yet.")
    var custodianName: String?
    @Option(help: ArgumentHelp("Read the custodian's passphrase from this file descriptor.", valueName: "N"))
    var passphraseFd: Int32?
    @Option(
      help: ArgumentHelp("Read the custodian's passphrase from this file, mode 0600.", valueName: "FILE"))
    var passphraseFile: String?

    func setup() throws(DocketError) -> CustodianSetup? {
      guard let custodian else { return nil }
      let passphrase = try PassphraseSource(
        fd: passphraseFd, file: passphraseFile, prompt: "new passphrase of \(custodian)"
      ).read(confirm: true)
      return CustodianSetup(login: custodian, name: custodianName, passphrase: passphrase)
    }
  }

  struct Init: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Create (embedded) or prepare (configured) the database: migrations, first administrator, the office key and its first custodian."
    )
    @OptionGroup var custodian: CustodianSetupOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open(checkSchema: false)
      let setup = try custodian.setup()
      try docket.initialize(custodian: setup)
      let status = try docket.status()
      var text = "docket database ready: \(status.url)\n"
      if let fingerprint = try docket.officeKeyFingerprint() {
        text += """
          office key: \(fingerprint); its private half is wrapped for its custodians only.
          Pin it on every intake machine: echo \(fingerprint) >> $DOCKET_HOME/office-key.pin

          """
      } else if try docket.sealingUpgradePending() != nil {
        text +=
          "This database is sealed with an older docket's key file: run 'docket db migrate --custodian LOGIN' to re-seal it to an office key.\n"
      } else {
        text +=
          "No office key yet, so only anonymous items can be registered: make it with 'docket db init --custodian LOGIN'.\n"
      }
      write(text)
    }
  }

  struct Migrate: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Apply pending migrations from sql/, and re-seal what an older docket's key file sealed.")
    @OptionGroup var custodian: CustodianSetupOptions
    @Option(
      help: ArgumentHelp(
        "The key file of a docket before sealing to an office key (default $DOCKET_HOME/identity.key).",
        valueName: "FILE"))
    var keyFile: String?
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open(checkSchema: false)
      let report = try docket.migrate()
      var lines = report.applied.map { "applied \($0)\n" }
      if report.clocksWorkedOut > 0 {
        lines.append(
          "worked out the deadline clocks of \(report.clocksWorkedOut) item(s) from their journals\n")
      }
      if report.itemsIndexed > 0 {
        lines.append("made the search documents of \(report.itemsIndexed) item(s)\n")
      }
      if try docket.sealingUpgradePending() != nil {
        let file =
          keyFile.map { KeyFile(url: URL(fileURLWithPath: $0)) }
          ?? KeyFile.locate(
            home: docket.home, environment: ProcessInfo.processInfo.environment)
        let setup = try docket.officeKeyFingerprint() == nil ? try custodian.setup() : nil
        let upgrade = try docket.upgradeSealing(keyFile: file, custodian: setup)
        lines.append(
          """
          re-sealed to office key \(upgrade.fingerprint): \(upgrade.identities) identities, \(upgrade.messages) email messages, \(upgrade.quarantined) quarantined messages
          The old key file \(file.url.path) now opens nothing in this database. Destroy it (shred -u \(file.url.path)),
          and with it every backup taken before now: those backups need it, and whoever holds both can read them.

          """)
      }
      if try docket.officeKeyFingerprint() != nil {
        let sealed = try docket.sealPlainAttachments()
        if sealed > 0 {
          lines.append("sealed \(sealed) attachment(s) stored in plain bytes to the office key\n")
        }
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
