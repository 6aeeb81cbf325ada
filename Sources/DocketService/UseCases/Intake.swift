import DocketCore
import DocketStore
import Foundation

/// What a registrar enters for one item arriving by phone, post, visit or online form.
public struct IntakeRequest: Sendable {
  public var channel: Channel
  public var kind: Kind?
  public var source: Source = .public
  public var subject: String
  public var summary: String = ""
  public var category: String?
  /// When the item arrived; nil means now.
  public var receivedAt: Date?
  public var reporterName: String?
  public var reporterPhone: String?
  public var reporterEmail: String?
  public var reporterAddress: String?
  public var reporterIDNumber: String?
  public var accused: [AccusedInput] = []
  /// Channel facts that are not identity: `duration`, `operator`, `postmark`, `postcode`,
  /// `envelope_note`, `pages`, `visitors`, `form_id`.
  public var details: [String: String] = [:]
  /// The client's own name for this request (`--request-id`): the same request again, after a lost
  /// reply or a retry, finds the item it registered instead of registering another.
  public var requestID: String?
  /// Files that came with it (`--attach`), sealed like the identity.
  public var attachments: [IntakeAttachment] = []

  public init(channel: Channel, subject: String) {
    self.channel = channel
    self.subject = subject
  }
}

/// An accused person as typed: a name, the unit as written, a rank.
public struct AccusedInput: Sendable {
  public var name: String
  public var unit: String?
  public var rank: String?
  public init(name: String, unit: String? = nil, rank: String? = nil) {
    self.name = name
    self.unit = unit
    self.rank = rank
  }
}

extension Docket {
  /// Registers one item and returns it with its new reference number.
  ///
  /// No receipt code is issued: this is for callers with no reporter to hand one to (the demo, tests).
  /// Where a registrar faces the reporter, use ``intakeWithReceipt(_:actor:)``; a code can also be
  /// issued later with ``reissueReceipt(_:actor:)``.
  public func intake(_ request: IntakeRequest, actor login: String?) throws(DocketError) -> Item {
    try intake(request, actor: login, issuingReceipt: false).item
  }

  /// Registers one item and returns it with its new reference number and, for a report from the
  /// public by phone, post, visit or online form, the receipt code to give the reporter. The code is
  /// in this result only: the database keeps a slow salted hash of it, and the journal nothing.
  /// `drawnAhead`, when the caller started one before opening docket, is the code to give, its
  /// hash already worked out.
  public func intakeWithReceipt(
    _ request: IntakeRequest, actor login: String?, drawnAhead: ReceiptInAdvance? = nil
  ) throws(DocketError) -> Registration {
    try intake(request, actor: login, issuingReceipt: true, drawnAhead: drawnAhead)
  }

  private func intake(
    _ request: IntakeRequest, actor login: String?, issuingReceipt: Bool, drawnAhead: ReceiptInAdvance? = nil
  ) throws(DocketError) -> Registration {
    let actor = try actor(login)
    try require(actor, .register, "register items")
    let now = now()
    let receivedAt = request.receivedAt ?? now
    guard receivedAt <= now.addingTimeInterval(300) else {
      throw .invalid(
        "The received time \(office.time.minuteString(receivedAt)) is in the future; give the time the item arrived."
      )
    }
    var request = request
    request.subject = request.subject.trimmingCharacters(in: .whitespacesAndNewlines)
    // Never taken from the summary: its first words are often the reporter's name and number.
    guard !request.subject.isEmpty else {
      throw .invalid("An item needs a subject (--subject): a short title without the reporter's name.")
    }
    var details = try checkedDetails(request, receivedAt: receivedAt)
    try checkAttachments(request.attachments)
    if !request.attachments.isEmpty { details["attachments"] = String(request.attachments.count) }
    // The return address's postcode locates the reporter: it is sealed with the address.
    if let postcode = details.removeValue(forKey: "postcode") {
      request.reporterAddress = [request.reporterAddress?.nonEmpty, postcode].compactMap { $0 }.joined(
        separator: " ")
    }
    let kind: Kind
    if let given = request.kind { kind = given } else { kind = try Self.classify(request) }
    let identity: ReporterIdentity
    do {
      identity = try ReporterIdentity.validated(
        name: request.reporterName, phone: request.reporterPhone, email: request.reporterEmail,
        address: request.reporterAddress, idNumber: request.reporterIDNumber)
    } catch { throw .from(error) }

    let requestID = request.requestID?.trimmingCharacters(in: .whitespaces).nonEmpty
    if let requestID {
      guard requestID.unicodeScalars.count <= 200 else {
        throw .invalid("A request id is at most 200 characters.")
      }
      if let earlier = try registered(by: requestID, as: request, kind: kind) { return earlier }
    }
    // The receipt code's deliberately slow hash, drawn ahead on another core, is waited for before
    // the transaction: inside it, the reference counter's row lock would make every other intake
    // of the year and kind wait for the hash too.
    let receipt = issuingReceipt && Self.getsReceipt(request) ? drawnAhead?.take() ?? ReceiptDraft() : nil
    do {
      return try registerNew(
        request, kind: kind, identity: identity, details: details, receivedAt: receivedAt, actor: actor,
        receipt: receipt, now: now)
    } catch .database(let error)
      where error.sqlState == SQLState.uniqueViolation && error.constraint == "items_request_id_key"
    {
      // The same request, sent twice at once, registered by the other try a moment ago.
      guard let requestID, let earlier = try registered(by: requestID, as: request, kind: kind) else {
        throw .database(error)
      }
      return earlier
    }
  }

  /// The item `requestID` registered before, or nil; refused when the request said something else.
  private func registered(by requestID: String, as request: IntakeRequest, kind: Kind) throws(DocketError)
    -> Registration?
  {
    guard let item = try store({ try ItemRepository(db).withRequestID(requestID) }) else { return nil }
    guard item.channel == request.channel, item.kind == kind, item.subject == request.subject else {
      throw .refused(
        "The request id \(requestID) registered \(item.ref) with another channel, kind or subject; give each new item a request id of its own."
      )
    }
    return Registration(item: item, receiptCode: nil, registeredBefore: true)
  }

  /// Registers the item, and its receipt code when it gets one, in one transaction.
  private func registerNew(
    _ request: IntakeRequest, kind: Kind, identity: ReporterIdentity, details: [String: String],
    receivedAt: Date, actor: Staff, receipt: ReceiptDraft?, now: Date
  ) throws(DocketError) -> Registration {
    try transaction { () throws(DocketError) in
      var code: ReceiptCode?
      let (_, item) = try register(
        request, kind: kind, identity: identity, details: details, receivedAt: receivedAt, actor: actor
      ) { (id) throws(DocketError) in
        try storeAttachments(request.attachments, itemID: id, identity: identity, at: now)
        code = try receipt.map { (draft) throws(DocketError) in try storeReceipt(draft, itemID: id, at: now) }
      }
      return Registration(item: item, receiptCode: code, registeredBefore: false)
    }
  }

  /// Registers one item inside the caller's transaction: the checked request, its kind and the
  /// validated identity, written as a batch of one (``RegistrationBuilder``). `alongside` writes
  /// what goes with the new item (its receipt, its mail) before the journal's head is locked.
  func register(
    _ request: IntakeRequest, kind: Kind, identity: ReporterIdentity, details: [String: String],
    receivedAt: Date, actor: Staff, alongside: (Int64) throws(DocketError) -> Void = { _ in }
  ) throws(DocketError) -> (id: Int64, item: Item) {
    let registration = RegistrationRepository(db)
    let year = office.time.year(of: receivedAt)
    let (sequence, id) = try store { try registration.reserveOne(year: year, kind: kind) }
    let ref = office.referencePattern.format(year: year, kind: kind, sequence: sequence)
    var accused: [Accused] = []
    let units = request.accused.isEmpty ? [:] : try unitIDs()
    for person in request.accused {
      let name = person.name.trimmingCharacters(in: .whitespaces)
      guard !name.isEmpty else { throw .invalid("An accused person needs a name (--accused).") }
      accused.append(
        Accused(
          name: name, unitID: person.unit.flatMap { units[$0] }, unitName: person.unit?.nonEmpty,
          rank: person.rank?.nonEmpty))
    }
    let new = NewItem(
      ref: ref, kind: kind, source: request.source, channel: request.channel, subject: request.subject,
      summary: request.summary, category: request.category?.nonEmpty, reporterKind: identity.kind,
      reporterSealed: nil, reporterMatch: [], receivedAt: receivedAt,
      channelDetails: CanonicalJSON.object(details.mapValues { Optional($0) }), registeredBy: actor.id,
      accused: accused, requestID: request.requestID?.trimmingCharacters(in: .whitespaces).nonEmpty)
    let prepared = try registrationBuilder(actor: actor, sealing: !identity.isEmpty).prepare(
      [ItemDraft(item: new, id: id, identity: identity)])
    try store { try registration.write(prepared.rows) }
    try alongside(id)
    try appendRegistered(prepared.events, rollup: prepared.rollup, workedAt: prepared.generation)
    guard let item = try store({ try ItemRepository(db).withRef(ref) }) else {
      throw .notFound("item \(ref)")
    }
    return (id, item)
  }

  /// The kind when the registrar gave none: the envelope note 对…巡视整改情况的意见建议 marks a
  /// suggestion on the rectification; anything else must be classified by a person.
  static func classify(_ request: IntakeRequest) throws(DocketError) -> Kind {
    if let note = request.details["envelope_note"], note.contains("巡视整改"), note.contains("意见建议") {
      return .suggestion
    }
    throw .invalid(
      "Say what kind of item this is with --kind: \(Kind.allCases.map { "\($0.rawValue) (\($0.chinese))" }.joined(separator: ", "))."
    )
  }

  /// Validates the channel details a registrar typed and drops empty ones.
  func checkedDetails(_ request: IntakeRequest, receivedAt: Date) throws(DocketError) -> [String: String] {
    var details = request.details.compactMapValues { $0.nonEmpty }
    if let postcode = details["postcode"] {
      do { details["postcode"] = try Contact.postcode(postcode) } catch { throw .from(error) }
    }
    if let postmark = details["postmark"] {
      let date = try time(postmark, option: "--postmark")!
      guard date <= receivedAt else {
        throw .invalid("The postmark date \(postmark) is after the letter was received; check both dates.")
      }
      details["postmark"] = office.time.dayString(date)
    }
    if let duration = details["duration"] {
      guard let seconds = Self.seconds(duration) else {
        throw .invalid(
          "The call duration '\(duration)' is not a duration; write seconds (95) or minutes:seconds (1:35).")
      }
      details["duration"] = String(seconds)
    }
    if let visitors = details["visitors"] {
      guard let count = Int(visitors), count > 0 else {
        throw .invalid("The number of visitors '\(visitors)' must be a whole number of at least 1.")
      }
      if count >= 5 { details["group_visit"] = "true" }
    }
    return details
  }

  static func seconds(_ text: String) -> Int? {
    let parts = text.split(separator: ":").map { Int($0) }
    guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
    return parts.reduce(0) { $0 * 60 + $1! }
  }
}
