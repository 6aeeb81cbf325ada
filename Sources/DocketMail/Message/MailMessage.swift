import Foundation

/// One parsed email message: the fields intake needs, its text and its attachments.
///
/// Parsing never loses a message: what cannot be decoded is replaced (U+FFFD) and named in
/// `warnings`, and the raw bytes stay with the caller.
public struct MailMessage: Sendable {
  /// The Message-ID without angle brackets, or nil when the message has none.
  public var messageID: String?
  public var from: MailAddress?
  public var to: [MailAddress] = []
  public var cc: [MailAddress] = []
  /// Decoded and unfolded; nil when the message has no Subject.
  public var subject: String?
  /// nil when the Date is missing or cannot be read (a warning says which).
  public var date: Date?
  /// The first message identifier of In-Reply-To, without angle brackets.
  public var inReplyTo: String?
  public var references: [String] = []
  /// The readable text: text/plain preferred to text/html, HTML turned into text, lines ending in LF.
  public var text: String = ""
  public var attachments: [MailAttachment] = []
  public var warnings: [MailWarning] = []

  public init() {}
}

/// A mailbox: an address with the display name written beside it, if any.
public struct MailAddress: Sendable, Equatable, Hashable {
  public var name: String?
  public var address: String

  public init(name: String?, address: String) {
    self.name = name
    self.address = address
  }
}

/// A part kept as a file: a named or non-text part, or a forwarded message (message/rfc822).
public struct MailAttachment: Sendable {
  /// As the sender named it (RFC 2231 and encoded words decoded), or nil.
  public var filename: String?
  /// Lower-case `type/subtype`, without parameters.
  public var contentType: String
  /// The content after transfer decoding.
  public var data: [UInt8]

  public init(filename: String?, contentType: String, data: [UInt8]) {
    self.filename = filename
    self.contentType = contentType
    self.data = data
  }
}

/// Something in a message that was not as it should be, and what the parser did about it.
public struct MailWarning: Sendable, Equatable, CustomStringConvertible {
  /// A stable code, for tests and for counting; the detail is for people.
  public enum Code: String, Sendable, CaseIterable {
    case missingMessageID = "missing-message-id"
    case missingDate = "missing-date"
    case badDate = "bad-date"
    case undecodableBytes = "undecodable-bytes"
    case unknownCharset = "unknown-charset"
    case brokenBase64 = "broken-base64"
    case missingBoundary = "missing-boundary"
    case unterminatedMultipart = "unterminated-multipart"
    case malformedHeader = "malformed-header"
    case tooDeep = "too-deep"
  }

  public var code: Code
  public var detail: String

  public init(_ code: Code, _ detail: String) {
    self.code = code
    self.detail = detail
  }

  public var description: String { "\(code.rawValue): \(detail)" }
}

/// Why a message could not be parsed at all. Such a message goes to quarantine, never to the floor.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The input has no header section: it is not an email message.
  case notMail(String)
  /// Larger than the configured limit; it is kept whole, never truncated.
  case tooLarge(size: Int, limit: Int)

  public var description: String {
    switch self {
    case .notMail(let why): "not an email message: \(why)"
    case .tooLarge(let size, let limit):
      "the message is \(size) bytes, more than the limit of \(limit) bytes"
    }
  }
}
