import ArgumentParser
import DocketService
import Foundation

struct IntakeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "intake", abstract: "Register what arrives: by phone, post, visit, online form or email.",
    subcommands: [Phone.self, Letter.self, Visit.self, Online.self, Email.self, Quarantine.self])
}

/// What every intake takes: the matter, the reporter (none given: anonymous) and the accused.
struct IntakeOptions: ParsableArguments {
  @Option(help: "A short subject (事由); default: the start of the summary.") var subject: String?
  @Option(help: "What the reporter says (内容摘要).") var summary: String?
  @Option(help: "accusation, appeal, suggestion, petition, clue (or 检举控告, 申诉, 批评建议, 申诉求决, 问题线索).")
  var kind: Kind?
  @Option(help: "public, inspection, superior, transfer, internal, subordinate, media.") var source: Source?
  @Option(help: "The problem category (问题类别).") var category: String?
  @Option(help: "When it arrived (default now): 2021-09-28, 2021-09-28 10:30 (office time) or RFC 3339.")
  var at: String?
  @Option(help: "Reporter's name (stored encrypted).") var reporterName: String?
  @Option(help: "Reporter's phone (stored encrypted).") var reporterPhone: String?
  @Option(help: "Reporter's email (stored encrypted).") var reporterEmail: String?
  @Option(help: "Reporter's postal address (stored encrypted).") var reporterAddress: String?
  @Option(help: "Reporter's ID number (stored encrypted).") var reporterID: String?
  @Option(
    help: ArgumentHelp(
      "Read the reporter from a JSON file, or - for standard input: {\"name\", \"phone\", \"email\", \"address\", \"id_number\"}.",
      discussion: "Unlike --reporter-*, this keeps the identity out of the process list and shell history."))
  var reporterFrom: String?
  @Option(help: "An accused person's name (repeat for several).") var accused: [String] = []
  @Option(help: "The accused person's unit (in the order of --accused).") var accusedUnit: [String] = []
  @Option(help: "The accused person's rank or post (in the order of --accused).") var accusedRank: [String] =
    []
  @Option(
    help:
      "Your own id for this intake (a form's or a call's number): the same id again finds the item it registered instead of registering it twice."
  )
  var requestID: String?
  @Option(
    help: ArgumentHelp(
      "A file that came with it: a letter's scan, a visitor's papers, a call's recording (repeat for several).",
      discussion: "Sealed to the office key like the identity; its type is read from its bytes.",
      valueName: "FILE"))
  var attach: [String] = []
  @OptionGroup var actor: ActorOptions
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print the new item as JSON.") var json = false

  func validate() throws {
    if accusedUnit.count > accused.count || accusedRank.count > accused.count {
      throw ValidationError("Give --accused before each --accused-unit and --accused-rank.")
    }
  }

  func request(_ channel: Channel, docket: Docket) throws(DocketError) -> IntakeRequest {
    var request = IntakeRequest(channel: channel, subject: subject ?? "")
    request.summary = summary ?? ""
    request.kind = kind
    request.source = source ?? .public
    request.category = category
    request.requestID = requestID
    request.receivedAt = try docket.time(at, option: "--at")
    request.reporterName = reporterName
    request.reporterPhone = reporterPhone
    request.reporterEmail = reporterEmail
    request.reporterAddress = reporterAddress
    request.reporterIDNumber = reporterID
    if let reporterFrom {
      let reporter = try Self.readReporter(reporterFrom)
      request.reporterName = reporter.name ?? request.reporterName
      request.reporterPhone = reporter.phone ?? request.reporterPhone
      request.reporterEmail = reporter.email ?? request.reporterEmail
      request.reporterAddress = reporter.address ?? request.reporterAddress
      request.reporterIDNumber = reporter.idNumber ?? request.reporterIDNumber
    }
    request.attachments = try attach.map { (path) throws(DocketError) in
      guard let data = FileManager.default.contents(atPath: path) else {
        throw .invalid("The attachment \(path) cannot be read; check the path and that you may read it.")
      }
      return IntakeAttachment(filename: URL(fileURLWithPath: path).lastPathComponent, bytes: Array(data))
    }
    request.accused = accused.enumerated().map { index, name in
      AccusedInput(
        name: name, unit: index < accusedUnit.count ? accusedUnit[index] : nil,
        rank: index < accusedRank.count ? accusedRank[index] : nil)
    }
    return request
  }

  /// The reporter's fields from a JSON file or standard input; the message on failure never
  /// quotes the content.
  static func readReporter(_ path: String) throws(DocketError) -> ReporterIdentity {
    let data: Data?
    if path == "-" {
      data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
      data = FileManager.default.contents(atPath: path)
    }
    guard let data else { throw .invalid("The reporter file \(path) cannot be read.") }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    guard let identity = try? decoder.decode(ReporterIdentity.self, from: data) else {
      throw .invalid(
        "The reporter file \(path) is not a JSON object with the fields name, phone, email, address and id_number."
      )
    }
    return identity
  }

  /// Registers the item and prints its reference number and, when it got one, the receipt code:
  /// this is the only time the code is shown.
  func register(_ request: IntakeRequest, on docket: Docket, receipt: ReceiptInAdvance?) throws(DocketError) {
    let registration = try docket.intakeWithReceipt(request, actor: actor.actor, drawnAhead: receipt)
    let item = registration.item
    if registration.registeredBefore {
      complain(
        "\(item.ref) was registered by this request id before; nothing new was written. Its receipt code was given then; 'docket receipt reissue \(item.ref)' issues a new one."
      )
    }
    if json {
      guard let code = registration.receiptCode, case .object(var fields) = itemJSON(item) else {
        return write(itemJSON(item))
      }
      let at = fields.firstIndex { $0.0 > "receipt_code" } ?? fields.endIndex
      fields.insert(("receipt_code", .string(code.grouped)), at: at)
      write(JSONValue.object(fields))
    } else {
      write(item.ref + "\n" + (registration.receiptCode.map(receiptLine) ?? ""))
    }
  }
}

extension IntakeCommand {
  struct Phone: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "A hotline call (来电).")
    @OptionGroup var options: IntakeOptions
    @Option(help: "The caller's number (the same as --reporter-phone; stored encrypted).") var caller: String?
    @Option(help: "Call duration: seconds or minutes:seconds.") var duration: String?
    @Option(name: .customLong("operator"), help: "Who took the call.") var callOperator: String?

    func execute() throws(DocketError) {
      // Started first: the receipt code's slow hash runs while the database is opened.
      let receipt = ReceiptInAdvance.forIntake(source: options.source ?? .public, channel: .phone)
      let docket = try options.connection.open()
      var request = try options.request(.phone, docket: docket)
      if let caller { request.reporterPhone = caller }
      request.details = ["duration": duration, "operator": callOperator].compactMapValues { $0 }
      try options.register(request, on: docket, receipt: receipt)
    }
  }

  struct Letter: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "A letter by post (来信).")
    @OptionGroup var options: IntakeOptions
    @Option(help: "The postmark date.") var postmark: String?
    @Option(help: "The return address's postal code.") var postcode: String?
    @Option(help: "The note on the envelope; 对…巡视整改情况的意见建议 marks a suggestion on the rectification.")
    var envelopeNote: String?
    @Option(help: "Number of pages.") var pages: Int?

    func execute() throws(DocketError) {
      // Started first: the receipt code's slow hash runs while the database is opened.
      let receipt = ReceiptInAdvance.forIntake(source: options.source ?? .public, channel: .letter)
      let docket = try options.connection.open()
      var request = try options.request(.letter, docket: docket)
      request.details = [
        "postmark": postmark, "postcode": postcode, "envelope_note": envelopeNote,
        "pages": pages.map(String.init),
      ].compactMapValues { $0 }
      try options.register(request, on: docket, receipt: receipt)
    }
  }

  struct Visit: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "A visit in person (来访).")
    @OptionGroup var options: IntakeOptions
    @Option(help: "How many people came (5 or more is a group visit).") var visitors: Int?
    @Option(help: "Who received them.") var receivedBy: String?

    func execute() throws(DocketError) {
      // Started first: the receipt code's slow hash runs while the database is opened.
      let receipt = ReceiptInAdvance.forIntake(source: options.source ?? .public, channel: .visit)
      let docket = try options.connection.open()
      var request = try options.request(.visit, docket: docket)
      request.details = ["visitors": visitors.map(String.init), "received_by": receivedBy].compactMapValues {
        $0
      }
      try options.register(request, on: docket, receipt: receipt)
    }
  }

  struct Online: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "An online report form (网络).")
    @OptionGroup var options: IntakeOptions
    @Option(help: "The form's submission number.") var formID: String?

    func execute() throws(DocketError) {
      // Started first: the receipt code's slow hash runs while the database is opened.
      let receipt = ReceiptInAdvance.forIntake(source: options.source ?? .public, channel: .online)
      let docket = try options.connection.open()
      var request = try options.request(.online, docket: docket)
      request.details = ["form_id": formID].compactMapValues { $0 }
      try options.register(request, on: docket, receipt: receipt)
    }
  }
}
