import ArgumentParser
import DocketService
import Foundation

/// `docket status --receipt CODE`: what a reporter from the public may be told, looked up by the
/// staff member (or web front end) they give their receipt code to.
struct Status: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "An item's public status by its receipt code (回执码查询): state, day received, public note.",
    discussion: """
      Prints nothing else about the item. A wrong code and an unknown one get the same answer (exit 1); \
      after too many wrong codes the lookup is refused for a while (exit 75). Give --receipt - to read \
      the code from standard input, which keeps it out of the process list and shell history.
      """)
  @Option(help: "The 20-digit receipt code, with or without dashes; - reads it from standard input.")
  var receipt: String
  @OptionGroup var actor: ActorOptions
  @OptionGroup var language: LanguageOption
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print JSON.") var json = false

  func execute() throws(DocketError) {
    let code =
      receipt == "-"
      ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : receipt
    let docket = try connection.open()
    let status = try docket.receiptStatus(code, actor: actor.actor)
    let language = language.language
    if json {
      write(
        JSONValue.object([
          ("note", .text(status.note)), ("received_on", .string(status.receivedOn)),
          ("status", .string(status.state.rawValue)), ("status_label", .string(status.state.label(language))),
        ]))
    } else {
      let zh = language == .chinese
      var lines = [
        (zh ? "办理状态" : "Status", status.state.label(language)),
        (zh ? "收件日期" : "Received", status.receivedOn),
      ]
      if let note = status.note { lines.append((zh ? "答复" : "Note", note)) }
      let width = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
      write(
        lines.map { label, value in
          label + String(repeating: " ", count: width - DisplayWidth.of(label)) + "  " + value + "\n"
        }.joined())
    }
  }
}

struct ReceiptCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "receipt", abstract: "Receipt codes that reporters from the public follow their items with.",
    subcommands: [Reissue.self, Note.self])
}

extension ReceiptCommand {
  struct Reissue: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "A new receipt code for an item from the public; the old code stops working (registrars).")
    @Argument(help: "The item's reference number.") var ref: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let code = try docket.reissueReceipt(ref, actor: actor.actor)
      if json {
        write(JSONValue.object([("receipt_code", .string(code.grouped)), ("ref", .string(ref))]))
      } else {
        write(receiptLine(code))
      }
    }
  }

  struct Note: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Set the note a receipt-code lookup shows the reporter, or clear it (registrars).",
      discussion: "The note is for the public: write what the office tells the reporter, nothing more.")
    @Argument(help: "The item's reference number.") var ref: String
    @Argument(help: "The note (答复) for the reporter.") var text: String?
    @Flag(help: "Remove the note.") var clear = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
      if clear == (text != nil) { throw ValidationError("Give either the note's text or --clear.") }
    }

    func execute() throws(DocketError) {
      let docket = try connection.open()
      try docket.setPublicNote(ref, note: clear ? nil : text, actor: actor.actor)
    }
  }
}

/// The line that hands a receipt code to the registrar: it is shown this once and stored nowhere.
func receiptLine(_ code: ReceiptCode) -> String {
  "回执码 receipt code: \(code.grouped)（仅显示这一次，请告知反映人; shown once: give it to the reporter）\n"
}
