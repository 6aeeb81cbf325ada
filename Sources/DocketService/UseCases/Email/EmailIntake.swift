import Crypto
import DocketCore
import DocketMail
import DocketStore
import Foundation

/// What became of one message handed to email intake.
public enum EmailOutcome: Sendable, Equatable {
  /// A new item, registered from the message.
  case registered(ref: String)
  /// A reply from the item's reporter, added to the item's journal.
  case reply(ref: String)
  /// Already taken in (the same Message-ID, or the same bytes): nothing was created.
  case known(ref: String)
  /// Kept in quarantine for a person to look at; `notMail` when the input is not email at all,
  /// `again` when these very bytes were already held (a fetcher offering the same message again).
  case quarantined(id: Int64, reason: String, notMail: Bool, again: Bool = false)
}

/// One message's result, with what the parser had to repair.
public struct EmailIntakeResult: Sendable {
  public var outcome: EmailOutcome
  public var warnings: [MailWarning]
}

/// A message read and parsed, before any transaction: parsing is the slow part of taking one in.
struct ParsedMail {
  let raw: [UInt8]
  let digest: [UInt8]
  let message: Result<MailMessage, MailError>
}

extension Docket {
  /// Takes one raw message into the ledger, in one transaction: a new item, a reply added to its
  /// item, nothing (already known), or quarantine when it cannot be parsed or registered.
  ///
  /// - Parameters:
  ///   - origin: where it came from, for the quarantine list (`stdin`, a file or Maildir name).
  ///   - arrivedAt: when it reached the office (a Maildir file's delivery time); nil means now.
  /// - Throws: only what retrying may cure (the database is unreachable) or what the actor may
  ///   not do; a bad message is never an error, it goes to quarantine.
  public func intakeEmail(
    _ raw: [UInt8], origin: String, arrivedAt: Date? = nil, actor login: String?
  ) throws(DocketError) -> EmailIntakeResult {
    let actor = try actor(login)
    try require(actor, .register, "register items")
    let rules = try emailRules()
    let parsed = parse(raw, rules: rules)
    return try transaction { () throws(DocketError) in
      try takeIn(parsed, origin: origin, arrivedAt: arrivedAt ?? now(), rules: rules, actor: actor)
    }
  }

  func parse(_ raw: [UInt8], rules: EmailRules) -> ParsedMail {
    let message: Result<MailMessage, MailError>
    do throws(MailError) {
      message = .success(try mailParser(sizeLimit: rules.sizeLimit).parse(raw))
    } catch {
      message = .failure(error)
    }
    return ParsedMail(raw: raw, digest: Array(SHA256.hash(data: raw)), message: message)
  }

  /// One parsed message, inside the caller's transaction, each attempt under a savepoint so that
  /// a message the ledger refuses is quarantined without undoing the others of its group.
  func takeIn(_ parsed: ParsedMail, origin: String, arrivedAt: Date, rules: EmailRules, actor: Staff)
    throws(DocketError) -> EmailIntakeResult
  {
    let message: MailMessage
    switch parsed.message {
    case .failure(let error):
      return EmailIntakeResult(
        outcome: try quarantine(
          parsed.raw, digest: parsed.digest, reason: error.description, notMail: error.isNotMail,
          origin: origin, arrivedAt: arrivedAt, actor: actor),
        warnings: [])
    case .success(let parsedMessage): message = parsedMessage
    }
    // The same message delivered twice at the same moment (an MTA retrying while the first
    // delivery commits) loses on a unique key; tried once more, it is found known.
    var attempt = 0
    while true {
      attempt += 1
      do {
        return try savepoint { () throws(DocketError) in
          EmailIntakeResult(
            outcome: try ingest(
              message, raw: parsed.raw, digest: parsed.digest, rules: rules, arrivedAt: arrivedAt,
              actor: actor),
            warnings: message.warnings)
        }
      } catch  where error.isUniqueViolation && attempt == 1 {
        continue
      } catch  where !error.isTemporary && !error.isForbidden {
        // A message the ledger refuses (a rule, a bad value) is kept for a person, never dropped.
        return EmailIntakeResult(
          outcome: try quarantine(
            parsed.raw, digest: parsed.digest, reason: error.description, notMail: false, origin: origin,
            arrivedAt: arrivedAt, actor: actor),
          warnings: message.warnings)
      }
    }
  }

  /// The parser for this connection, reused so that its charset converters are opened once.
  func mailParser(sizeLimit: Int) -> MailParser {
    if let parser = cachedMailParser, parser.sizeLimit == sizeLimit { return parser }
    let parser = MailParser(sizeLimit: sizeLimit)
    cachedMailParser = parser
    return parser
  }

  /// Inside the caller's transaction: dedupe, threading, then a new item.
  func ingest(
    _ message: MailMessage, raw: [UInt8], digest: [UInt8], rules: EmailRules, arrivedAt: Date, actor: Staff
  ) throws(DocketError) -> EmailOutcome {
    let mail = MailRepository(db)
    if let ref = try store({ try mail.known(messageID: message.messageID, rawSHA256: digest) }) {
      return .known(ref: ref)
    }
    let sealer = try sealer()
    let sender = message.from.flatMap { try? Contact.email($0.address) }
    let senderMatch = sender.flatMap { sealer.matching.matchHashes(ReporterIdentity(email: $0)).first }
    // What handlers read: the text without its signature block and with the sender's own name and
    // address taken out. The whole message, signature and all, is kept only sealed.
    let identity = ReporterIdentity(name: message.from?.name, email: sender)
    let text = Redactor(identity).redact(
      SignatureBlock.split(message.text, senderName: message.from?.name).body
    )
    .text
    // Sealed once, whether the message becomes a reply or a new item.
    let redactor = Redactor(identity)
    var attachments: [StoredAttachment] = []
    for part in message.attachments {
      let bytes = Array(part.data)
      let sha256 = Array(SHA256.hash(data: bytes))
      attachments.append(
        StoredAttachment(
          filename: part.filename.map { redactor.redact($0).text },
          contentType: Self.type(bytes, declared: part.contentType),
          sha256: sha256, size: bytes.count, sealed: try sealer.seal(attachment: bytes, sha256: sha256)))
    }
    let stored = { (itemID: Int64, isReply: Bool) throws(DocketError) -> StoredMessage in
      StoredMessage(
        itemID: itemID, messageID: message.messageID, rawSHA256: digest,
        rawSealed: try sealer.seal(message: raw, digest: digest), size: raw.count, senderMatch: senderMatch,
        isReply: isReply, sentAt: message.date, arrivedAt: arrivedAt, text: text,
        warnings: message.warnings.map(\.description), attachments: attachments)
    }

    // A reply joins its item only when it comes from the item's reporter: anyone can quote a
    // reference number or a Message-ID.
    if let senderMatch, let thread = try replyTarget(message) {
      if try store({ try mail.reporterMatches(itemID: thread.id, match: senderMatch) }) {
        let messageID = try store { try mail.insert(try stored(thread.id, true)) }
        var document = SearchDocument()
        document.add(text, .other)
        try store { try SearchRepository(db).appendItem(thread.id, document) }
        try journal(
          item: thread.id, actor: actor.login,
          .emailReply(
            mailMessage: String(messageID), attachments: message.attachments.count, sha256: digest.hex),
          at: arrivedAt)
        return .reply(ref: thread.ref)
      }
    }

    var request = IntakeRequest(channel: .email, subject: Self.subject(message))
    request.summary = text
    request.receivedAt = arrivedAt
    let kind = rules.kind(for: message)
    request.details = ["attachments": message.attachments.isEmpty ? "" : String(message.attachments.count)]
      .compactMapValues { $0.isEmpty ? nil : $0 }
    if kind.byRule == nil { request.details["kind_to_screen"] = "true" }
    // Someone else's number or address may still be in it (a witness, a relative): for the
    // registrar's screening.
    let traces = IdentifyingTraces.find(in: text)
    if !traces.isEmpty { request.details["may_identify"] = traces.map(\.rawValue).joined(separator: ",") }
    let (_, item) = try register(
      request, kind: kind.kind, identity: identity, details: request.details, receivedAt: arrivedAt,
      actor: actor
    ) { (itemID) throws(DocketError) in
      _ = try store { try mail.insert(try stored(itemID, false)) }
    }
    return .registered(ref: item.ref)
  }

  /// What the bytes are, sniffed; the message's word for it only when they match nothing known.
  static func type(_ bytes: [UInt8], declared: String) -> String {
    let sniffed = FileType.sniff(bytes)
    return sniffed == "application/octet-stream" ? declared : sniffed
  }

  /// The item a message answers: by In-Reply-To and References, else by a reference number in
  /// the subject.
  func replyTarget(_ message: MailMessage) throws(DocketError) -> (id: Int64, ref: String)? {
    let mail = MailRepository(db)
    let ids = message.references + (message.inReplyTo.map { [$0] } ?? [])
    if let thread = try store({ try mail.thread(messageIDs: ids) }) { return thread }
    guard let subject = message.subject else { return nil }
    let items = ItemRepository(db)
    for ref in office.referencePattern.candidates(in: subject) {
      if let item = try store({ try items.withRef(ref) }) { return (item.id, item.ref) }
    }
    return nil
  }

  /// The item's subject: the message's, without the sender's name should they have written it
  /// there (a subject is shown in every list; a reporter's name never is).
  static func subject(_ message: MailMessage) -> String {
    var subject = (message.subject ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    if let name = message.from?.name, name.count >= 2 {
      subject = subject.replacingOccurrences(of: name, with: "某")
    }
    if let address = message.from?.address, !address.isEmpty {
      subject = subject.replacingOccurrences(of: address, with: "…")
    }
    return subject.isEmpty ? "（无主题）" : subject
  }

  /// Holds `raw` in quarantine and journals it (the reason only; never the content). It keeps the
  /// time the message arrived, which a retry registers it with: deadlines run from arrival.
  func quarantine(
    _ raw: [UInt8], digest: [UInt8], reason: String, notMail: Bool, origin: String, arrivedAt: Date,
    actor: Staff
  ) throws(DocketError) -> EmailOutcome {
    let sealed = try sealer().seal(message: raw, digest: digest)
    let (id, isNew) = try store {
      try MailRepository(db).quarantine(
        rawSHA256: digest, rawSealed: sealed, size: raw.count, reason: reason, origin: origin,
        notMail: notMail,
        at: now())
    }
    if isNew {
      try journal(
        item: nil, actor: actor.login,
        .emailQuarantined(quarantine: String(id), reason: reason, size: raw.count), at: arrivedAt)
    }
    return .quarantined(id: id, reason: reason, notMail: notMail, again: !isNew)
  }
}

extension DocketError {
  var isUniqueViolation: Bool {
    if case .database(let error) = self { return error.sqlState == SQLState.uniqueViolation }
    return false
  }

  var isForbidden: Bool {
    if case .forbidden = self { return true }
    return false
  }
}
