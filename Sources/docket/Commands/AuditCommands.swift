import ArgumentParser
import DocketService
import Foundation

struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit", abstract: "Verify and read the journal.", subcommands: [Verify.self, Log.self])

  struct Verify: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Walk the hash chain and name the first event that does not match.")
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let result = try docket.verifyJournal(actor: actor.actor)
      if json {
        write(
          JSONValue.object([
            ("checked", .number(Int64(result.checked))),
            (
              "disagreements",
              .array(
                result.disagreements.map {
                  .object([
                    ("field", .string($0.field)), ("journal", .string($0.journal)), ("ref", .string($0.ref)),
                    ("stored", .string($0.stored)),
                  ])
                })
            ),
            ("first_broken_seq", result.firstBroken.map { .number($0.seq) } ?? .null),
            ("intact", .bool(result.isIntact)), ("reason", .text(result.firstBroken?.reason)),
          ]))
      } else if result.isIntact {
        write("The journal is intact: \(result.checked) events checked.\n")
      }
      if let broken = result.firstBroken {
        throw .refused(
          "The journal does not verify: event \(broken.seq) \(broken.reason). \(result.checked) events before it are intact."
        )
      }
      if !result.disagreements.isEmpty {
        let shown = result.disagreements.prefix(20).map {
          "\($0.ref)'s \($0.field) is \($0.stored), its events say \($0.journal)"
        }
        throw .refused(
          "The journal's chain holds (\(result.checked) events), but \(result.disagreements.count) item(s) were changed without their events: \(shown.joined(separator: "; "))\(result.disagreements.count > 20 ? "; …" : ".")"
        )
      }
    }
  }

  struct Log: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "The journal, of one item or of everything.")
    @Argument(help: "An item's reference number.") var ref: String?
    @Option(help: "At most this many events.") var limit: Int?
    @Flag(help: "Only the events that disclosed a reporter's identity (reveals, exports with identities).")
    var reveals = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let events = try docket.journalLog(ref: ref, reveals: reveals, limit: limit, actor: actor.actor)
      if json {
        write(JSONValue.array(events.map(eventJSON)))
      } else {
        write(
          journalTable(events, office: docket.office.time, language: language.language, showRef: ref == nil))
      }
    }
  }
}
