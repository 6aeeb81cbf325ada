import ArgumentParser
import DocketService
import Foundation

struct Redact: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Hide a value found in an item's subject, summary or email text (journaled; the original is sealed).",
    discussion: """
      The value (a witness's name, a phone number, an email address, an ID number) is matched in every \
      form intake's redaction knows and replaced by 〔举报人信息已隐去〕. Prefer --value-from FILE or - \
      (standard input): --value shows in the process list.
      """)
  @Argument(help: "The item's reference number.") var ref: String
  @Option(help: "The value to hide.") var value: String?
  @Option(
    help: ArgumentHelp("Read the value to hide from a file, or - for standard input.", valueName: "FILE"))
  var valueFrom: String?
  @Option(help: "Why; journaled (never the value).") var reason: String
  @OptionGroup var actor: ActorOptions
  @OptionGroup var connection: ConnectionOptions

  func validate() throws {
    guard (value == nil) != (valueFrom == nil) else {
      throw ValidationError("Give the value to hide with --value or --value-from, once.")
    }
  }

  func execute() throws(DocketError) {
    let docket = try connection.open()
    var hidden = value ?? ""
    if let valueFrom {
      let data =
        valueFrom == "-"
        ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: valueFrom)
      guard let data, let text = String(data: data, encoding: .utf8) else {
        throw .invalid("The value to hide cannot be read from \(valueFrom) as UTF-8 text.")
      }
      hidden = text
    }
    let result = try docket.redact(ref, value: hidden, reason: reason, actor: actor.actor)
    write("\(ref): hidden in \(result.fields.joined(separator: ", ")); the wording before is sealed.\n")
  }
}
