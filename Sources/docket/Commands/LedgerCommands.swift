import ArgumentParser
import DocketService
import Foundation

/// The ledger's filters, shared by `list` and `export items`.
struct LedgerFilterOptions: ParsableArguments {
  @Option(help: "Only items in this state (repeatable).") var state: [ItemState] = []
  @Option(help: "Only this kind (repeatable).") var kind: [Kind] = []
  @Option(help: "Only this source (repeatable).") var source: [Source] = []
  @Option(help: "Only this channel (repeatable).") var channel: [Channel] = []
  @Option(help: "Only items assigned to this unit.") var unit: String?
  @Option(help: "Received on or after this time.") var from: String?
  @Option(help: "Received before this time.") var to: String?
  @Option(help: "Only the items of this handover batch (from 'docket import handover').") var batch: Int64?
  @Option(help: "At most this many items.") var limit: Int?
  @Option(
    help:
      "Only items whose worst running deadline has this warning: blue, amber, red; or may_identify, text that may still identify someone (repeatable)."
  )
  var warning: [WarningFilter] = []
  @Flag(help: "Only items with a deadline passed.") var overdue = false
  @Option(help: "Judge warnings as of this time (default now).") var asOf: String?

  func query(_ docket: Docket) throws(DocketError) -> LedgerQuery {
    var query = LedgerQuery()
    query.states = state
    query.kinds = kind
    query.sources = source
    query.channels = channel
    query.batchID = batch
    query.unit = unit
    query.receivedFrom = try docket.time(from, option: "--from")
    query.receivedBefore = try docket.time(to, option: "--to")
    query.limit = limit
    query.warnings = warning.compactMap { if case .deadline(let warning) = $0 { warning } else { nil } }
    query.mayIdentify = warning.contains(.mayIdentify)
    query.overdue = overdue
    query.asOf = try docket.time(asOf, option: "--as-of")
    return query
  }
}

struct ListItems: DocketCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "The ledger (台账): every matching item, oldest first.")
  @OptionGroup var filter: LedgerFilterOptions
  @OptionGroup var actor: ActorOptions
  @OptionGroup var language: LanguageOption
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print JSON.") var json = false

  func execute() throws(DocketError) {
    let docket = try connection.open()
    let query = try filter.query(docket)
    let items = try docket.list(query, actor: actor.actor)
    if json {
      JSONValue.printArray(items.lazy.map(itemJSON), to: .standardOutput)
    } else {
      write(itemTable(items, office: docket.office.time, language: language.language))
    }
  }
}

struct ShowItem: DocketCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "One item with its journal.")
  @Argument(help: "The item's reference number.") var ref: String
  @OptionGroup var actor: ActorOptions
  @OptionGroup var language: LanguageOption
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print JSON.") var json = false

  func execute() throws(DocketError) {
    let docket = try connection.open()
    let history = try docket.show(ref, actor: actor.actor)
    if json {
      write(
        JSONValue.object([
          (
            "attachments",
            .array(
              history.attachments.map {
                .object([
                  ("filename", .text($0.filename)), ("content_type", .string($0.contentType)),
                  ("size", .number($0.size)), ("sha256", .string($0.sha256)),
                ])
              })
          ),
          ("clocks", .array(history.clocks.map(clockJSON))), ("item", itemJSON(history.item)),
          ("journal", .array(history.events.map(eventJSON))),
        ]))
    } else {
      write(itemDetail(history, office: docket.office.time, language: language.language))
    }
  }
}

struct Reveal: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "Decrypt a reporter's identity (a custodian, with their passphrase; journaled).",
    discussion: """
      Asks the passphrase of the custodian acting (--as LEADER) at the terminal, without echo, or \
      reads it from --passphrase-fd / --passphrase-file (mode 0600). With a reveal quorum of 2, \
      name the second custodian present with --with LOGIN. The reason, and who was present, are \
      journaled; wrong passphrases are counted, and repeated ones lock the custodian for a while.
      """)
  @Argument(help: "The item's reference number.") var ref: String
  @Option(help: "Why the identity is needed.") var reason: String
  @OptionGroup var custodians: CustodianOptions
  @OptionGroup var actor: ActorOptions
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print JSON.") var json = false

  func execute() throws(DocketError) {
    let docket = try connection.open()
    let given = try custodians.custodians(docket, actor: actor.actor, act: "reveal", ref: ref)
    let identity = try docket.reveal(ref, reason: reason, custodians: given, actor: actor.actor)
    if json { return write(identityJSON(identity)) }
    let fields: [(String, String?)] = [
      ("姓名 name", identity.name), ("电话 phone", identity.phone), ("邮箱 email", identity.email),
      ("地址 address", identity.address), ("证件号 id", identity.idNumber),
    ]
    write(
      fields.compactMap { label, value in value.map { "\(label): \($0)" } }.joined(separator: "\n") + "\n")
  }
}

/// A revealed identity, for `reveal --json` and exports with identities.
func identityJSON(_ identity: ReporterIdentity) -> JSONValue {
  .object([
    ("address", .text(identity.address)), ("email", .text(identity.email)),
    ("id_number", .text(identity.idNumber)), ("name", .text(identity.name)), ("phone", .text(identity.phone)),
  ])
}
