import Foundation

/// The code a reporter from the public is given when their item is registered, to ask later how it
/// stands (`docket status --receipt CODE`) without giving a name.
///
/// Twenty decimal digits, shown in five groups of four (`4821-0937-5521-0846-1173`) because people
/// read them out over the phone. The first 8 digits are the *selector*, stored in plain so that the
/// row can be found; the last 12 are the *verifier*, the secret, stored only as a slow salted hash.
/// The split is needed because a salted hash cannot be searched: hashing every row's salt against a
/// typed code would cost one slow hash per item.
///
/// Printing a code with `\(code)` shows no digits, so that it cannot end up in a log by accident;
/// ``grouped`` is the one way to show it, to the registrar who hands it over.
public struct ReceiptCode: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
  /// Digits in the selector: 10^8 selectors keep collisions between items rare (and retried).
  public static let selectorDigits = 8
  /// Digits in the verifier: 10^12 guesses, against a rate limit and a slow hash.
  public static let verifierDigits = 12
  public static let digits = selectorDigits + verifierDigits

  /// The first 8 digits, which find the item's receipt row.
  public let selector: String
  /// The last 12 digits, which prove that the person holds the receipt.
  public let verifier: String

  /// A new code from the system's cryptographically secure generator.
  public static func random() -> ReceiptCode {
    var generator = SystemRandomNumberGenerator()
    return random(using: &generator)
  }

  /// A new code from `generator`. `random(in:)` draws without modulo bias, so every code is as likely.
  public static func random(using generator: inout some RandomNumberGenerator) -> ReceiptCode {
    let selector = UInt64.random(in: 0..<100_000_000, using: &generator)
    let verifier = UInt64.random(in: 0..<1_000_000_000_000, using: &generator)
    return ReceiptCode(selector: padded(selector, selectorDigits), verifier: padded(verifier, verifierDigits))
  }

  /// Reads a code as a person types it: ASCII or full-width digits, with dashes or spaces anywhere
  /// between them. The error never repeats what was typed, since it may be somebody's real code.
  public init(parsing text: String) throws(FieldError) {
    var digits: [Character] = []
    for character in text {
      if let digit = Self.digit(character) {
        digits.append(digit)
      } else if !Self.isSeparator(character) {
        throw FieldError(
          field: "receipt code", value: nil, problem: "contains a character that is not a digit",
          expected: "the 20 digits printed on the receipt, with or without dashes or spaces between groups")
      }
    }
    guard digits.count == Self.digits else {
      throw FieldError(
        field: "receipt code", value: nil,
        problem: digits.isEmpty ? "is empty" : "has \(digits.count) digits",
        expected: "20 digits in five groups of four, as on the receipt (1234-5678-9012-3456-7890)")
    }
    self.init(
      selector: String(digits[..<Self.selectorDigits]), verifier: String(digits[Self.selectorDigits...]))
  }

  /// A code from its two halves as stored and as typed; both must be digits of the right length.
  public init(selector: String, verifier: String) {
    precondition(selector.count == Self.selectorDigits && selector.allSatisfy(\.isASCIIDigit))
    precondition(verifier.count == Self.verifierDigits && verifier.allSatisfy(\.isASCIIDigit))
    self.selector = selector
    self.verifier = verifier
  }

  /// The code as the reporter is given it: `4821-0937-5521-0846-1173`.
  public var grouped: String {
    let all = Array(selector + verifier)
    return stride(from: 0, to: all.count, by: 4).map { String(all[$0..<$0 + 4]) }.joined(separator: "-")
  }

  /// No digits: a code interpolated into a message or a log must not leak.
  public var description: String { "receipt code ····-····-····-····-····" }
  public var debugDescription: String { description }

  private static func padded(_ value: UInt64, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: width - text.count) + text
  }

  /// An ASCII digit, or a full-width one (０–９) as a Chinese input method types it, as ASCII.
  private static func digit(_ character: Character) -> Character? {
    if character.isASCIIDigit { return character }
    guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
      (0xFF10...0xFF19).contains(scalar.value)
    else { return nil }
    return Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)
  }

  /// What people put between groups: spaces (also the ideographic one) and dashes of any width.
  private static func isSeparator(_ character: Character) -> Bool {
    character.isWhitespace || ["-", "‐", "‑", "–", "—", "－"].contains(character)
  }
}

/// What a reporter from the public may be told about their item: one word for where it stands, the
/// day it was received and the note the office wrote for them. Nothing else about the item (no
/// reference number, subject, unit or accused person) ever goes with it.
public enum PublicState: String, Term {
  /// Registered, not yet screened.
  case received
  case accepted
  /// Assigned, being handled, on hold or concluded but not yet closed: the public sees no difference.
  case inProgress = "in_progress"
  case closed
  case notAccepted = "not_accepted"
  /// Sent to the body competent for it; to whom is not said.
  case forwarded

  public var chinese: String {
    switch self {
    case .received: "已收到"
    case .accepted: "已受理"
    case .inProgress: "办理中"
    case .closed: "已办结"
    case .notAccepted: "不予受理"
    case .forwarded: "已转送有权处理机关"
    }
  }

  /// The public word for an item in `state`. A duplicate (重复件) is handled with its original, so it
  /// takes the original's word, `original`; the public is not told that it was a duplicate, which for
  /// an anonymous report would say that someone else reported the same matter.
  public init(_ state: ItemState, original: ItemState? = nil) {
    switch state {
    case .registered: self = .received
    case .accepted: self = .accepted
    case .assigned, .handling, .onHold, .concluded: self = .inProgress
    case .closed: self = .closed
    case .notAccepted: self = .notAccepted
    case .forwarded: self = .forwarded
    case .duplicate:
      // The original is never itself a duplicate (links go to the first of a chain); if it cannot
      // be read, the report was at least received.
      if let original, original != .duplicate { self.init(original) } else { self = .received }
    }
  }
}

/// The answer to a receipt-code lookup: all that the public may know.
public struct PublicStatus: Sendable, Equatable {
  public var state: PublicState
  /// The day the item was received, in the office's time zone (YYYY-MM-DD).
  public var receivedOn: String
  /// What the office wrote for the reporter (`docket receipt note`), if anything.
  public var note: String?

  public init(state: PublicState, receivedOn: String, note: String?) {
    self.state = state
    self.receivedOn = receivedOn
    self.note = note
  }
}
