import ArgumentParser
import DocketService
import Foundation

extension IntakeCommand {
  struct Quarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Messages email intake could not register: list, retry or drop them.",
      subcommands: [List.self, Retry.self, Drop.self])
  }
}

extension IntakeCommand.Quarantine {
  struct List: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "The messages held in quarantine, with the reason (never the sender).")
    @Flag(help: "Also those already retried or dropped.") var all = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let entries = try docket.quarantined(all: all, actor: actor.actor)
      if json {
        write(
          .array(
            entries.map { entry in
              .object([
                ("id", .number(entry.id)), ("state", .string(entry.state)),
                ("quarantined_at", .time(entry.quarantinedAt)), ("size", .number(entry.size)),
                ("origin", .string(entry.origin)), ("reason", .string(entry.reason)),
                ("not_mail", .bool(entry.notMail)), ("resolved_at", .time(entry.resolvedAt)),
                ("resolved_by", .text(entry.resolvedBy)), ("ref", .text(entry.itemRef)),
              ])
            }))
        return
      }
      guard !entries.isEmpty else {
        write(all ? "Nothing has ever been quarantined.\n" : "Nothing is held in quarantine.\n")
        return
      }
      let time = docket.office.time
      var table = TextTable(headers: ["#", "state", "quarantined", "size", "origin", "reason"])
      for entry in entries {
        table.append([
          String(entry.id), entry.state + (entry.itemRef.map { " → \($0)" } ?? ""),
          time.minuteString(entry.quarantinedAt), String(entry.size), entry.origin, entry.reason,
        ])
      }
      write(table.render())
    }
  }

  struct Retry: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Try a held message again (after an upgrade, or with a larger email_size_limit_mb).")
    @Argument(help: "The quarantine number, from 'docket intake quarantine list'.") var id: Int64
    @Option(help: "The custodian who opens the sealed message (default: you).") var custodian: String?
    @OptionGroup var custodians: CustodianOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let opener: String
      if let custodian { opener = custodian } else { opener = try docket.actor(actor.actor).login }
      let result = try docket.retryQuarantined(
        id, custodians: try custodians.custodians(opener), actor: actor.actor)
      switch result.outcome {
      case .registered(let ref): write("\(ref)  registered from quarantine #\(id)\n")
      case .reply(let ref): write("\(ref)  reply added, from quarantine #\(id)\n")
      case .known(let ref): write("\(ref)  already taken in; quarantine #\(id) is resolved\n")
      case .quarantined(_, let reason, _, _):
        throw .refused("Message \(id) still cannot be registered: \(reason). It stays in quarantine.")
      }
    }
  }

  struct Drop: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Give up on a held message; it stays in the database, marked dropped, and the journal says why.")
    @Argument(help: "The quarantine number.") var id: Int64
    @Option(help: "Why (spam, not for this office …); journaled.") var reason: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open()
      try docket.dropQuarantined(id, reason: reason, actor: actor.actor)
      write("Quarantine #\(id) dropped.\n")
    }
  }
}
