import ArgumentParser
import DocketService
import Foundation

struct AttachmentCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attachment",
    abstract: "An item's attachments: sealed like identities, released on purpose by a custodian.",
    subcommands: [List.self, Release.self, Get.self])

  struct List: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Each attachment's number, name (redacted), type, size, and whether it was released.")
    @Argument(help: "The item's reference number.") var ref: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let entries = try docket.attachments(ref, actor: actor.actor)
      if json { return write(JSONValue.array(entries.map(attachmentJSON))) }
      guard !entries.isEmpty else { return write("\(ref) has no attachments.\n") }
      var table = TextTable(headers: ["#", "名称 name", "类型 type", "大小 size", "来源 from", "释放 released"])
      for entry in entries {
        table.append([
          String(entry.number), entry.filename ?? "（无名）", entry.contentType, String(entry.size), entry.source,
          entry.releasedBy.map { "\($0) \(docket.office.time.minuteString(entry.releasedAt!))" } ?? "sealed",
        ])
      }
      write(table.render())
    }
  }

  struct Release: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Open an attachment and keep a copy readable by those who see the item (a custodian's act).")
    @Argument(help: "The item's reference number.") var ref: String
    @Argument(help: "The attachment's number, from 'docket attachment list'.") var number: Int
    @Option(help: "Why it is released; journaled.") var reason: String
    @OptionGroup var custodians: CustodianOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let given = try custodians.custodians(docket, actor: actor.actor, act: "release attachment", ref: ref)
      let entry = try docket.releaseAttachment(
        ref, number: number, reason: reason, custodians: given, actor: actor.actor)
      write(
        "Attachment \(entry.number) of \(ref) is released: 'docket attachment get \(ref) \(entry.number) --output FILE'.\n"
      )
    }
  }

  struct Get: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Write an attachment to a file: a released one for whoever sees the item; else a custodian's act.")
    @Argument(help: "The item's reference number.") var ref: String
    @Argument(help: "The attachment's number, from 'docket attachment list'.") var number: Int
    @Option(help: "The file to write (created mode 0600; never overwritten).") var output: String
    @Option(help: "For a custodian opening an unreleased attachment: why; journaled.") var reason: String?
    @OptionGroup var custodians: CustodianOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open()
      guard !FileManager.default.fileExists(atPath: output) else {
        throw .invalid("\(output) exists already; give a new file name.")
      }
      var given: [CustodianPassphrase] = []
      if reason != nil {
        given = try custodians.custodians(docket, actor: actor.actor, act: "open attachment", ref: ref)
      }
      let content = try docket.attachmentContent(
        ref, number: number, reason: reason, custodians: given, actor: actor.actor)
      guard
        FileManager.default.createFile(
          atPath: output, contents: Data(content.bytes), attributes: [.posixPermissions: 0o600])
      else { throw .invalid("\(output) cannot be written; give a path in a writable folder.") }
      write(
        "Wrote attachment \(number) of \(ref) (\(content.entry.contentType), \(content.bytes.count) bytes) to \(output).\n"
      )
    }
  }
}

func attachmentJSON(_ entry: AttachmentEntry) -> JSONValue {
  .object([
    ("arrived_at", .time(entry.arrivedAt)), ("content_type", .string(entry.contentType)),
    ("filename", .text(entry.filename)), ("number", .number(Int64(entry.number))),
    ("released_at", .time(entry.releasedAt)),
    ("released_by", entry.releasedBy.map(JSONValue.string) ?? .null),
    ("sha256", .string(entry.sha256.hex)), ("size", .number(entry.size)), ("source", .string(entry.source)),
  ])
}
