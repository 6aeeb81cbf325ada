import DocketMail
import Foundation

/// A message as intake would read it, for `intake email --dry-run`: parsed without a database,
/// nothing registered and no file moved.
public struct MailPreview: Sendable {
  public struct Address: Sendable {
    public let name: String?
    public let address: String
  }

  public struct Attachment: Sendable {
    public let filename: String?
    public let contentType: String
    public let size: Int
    /// Hex SHA-256 of the decoded bytes, as intake stores them (the same bytes are stored once).
    public let sha256: String
  }

  public let messageID: String?
  public let from: Address?
  public let to: [Address]
  public let subject: String?
  public let date: Date?
  public let inReplyTo: String?
  public let references: [String]
  /// The text a handler would read.
  public let text: String
  public let attachments: [Attachment]
  /// What the parser had to guess or repair, one sentence each.
  public let warnings: [String]

  init(_ message: MailMessage) {
    let address = { (a: MailAddress) in Address(name: a.name, address: a.address) }
    messageID = message.messageID
    from = message.from.map(address)
    to = message.to.map(address)
    subject = message.subject
    date = message.date
    inReplyTo = message.inReplyTo
    references = message.references
    text = message.text
    attachments = message.attachments.map {
      Attachment(filename: $0.filename, contentType: $0.contentType, size: $0.data.count, sha256: $0.sha256)
    }
    warnings = message.warnings.map(\.description)
  }
}

/// What a dry run made of one message source.
public enum MailPreviewResult: Sendable {
  case parsed(MailPreview)
  /// Intake would quarantine it; `notMail` when it is not email at all (exit 65 for an MTA).
  case quarantined(problem: String, notMail: Bool)
  /// The file could not be read.
  case unreadable(problem: String)
}

extension MailSource {
  /// Reads and parses the message as intake would, up to `sizeLimitMB` megabytes (default
  /// intake's own default; intake itself reads the setting `email_size_limit_mb`).
  public func preview(sizeLimitMB: Int? = nil) -> MailPreviewResult {
    let limit = sizeLimitMB.map { $0 * 1_048_576 } ?? MailParser.defaultSizeLimit
    let raw: [UInt8]
    do { raw = try read() } catch { return .unreadable(problem: "\(error)") }
    do {
      return .parsed(MailPreview(try MailParser(sizeLimit: limit).parse(raw)))
    } catch {
      if case .notMail = error { return .quarantined(problem: error.description, notMail: true) }
      return .quarantined(problem: error.description, notMail: false)
    }
  }
}
