import Foundation

/// Who sent an item. Stored only encrypted; everything a person reads shows ``kind`` instead.
///
/// `description` is redacted so that string interpolation into a log or an error cannot leak it.
public struct ReporterIdentity: Sendable, Equatable, Codable, CustomStringConvertible,
  CustomDebugStringConvertible, CustomReflectable
{
  public var name: String?
  public var phone: String?
  public var email: String?
  public var address: String?
  public var idNumber: String?
  /// What the registered text said before these values were taken out of it (``Redactor``), by
  /// field (`subject`, `summary`): sealed with the identity, never stored in plain.
  public var originalWording: [String: String]?

  public init(
    name: String? = nil, phone: String? = nil, email: String? = nil, address: String? = nil,
    idNumber: String? = nil
  ) {
    self.name = name?.nonEmpty
    self.phone = phone?.nonEmpty
    self.email = email?.nonEmpty
    self.address = address?.nonEmpty
    self.idNumber = idNumber?.nonEmpty
  }

  /// Validates and normalises each given field.
  public static func validated(
    name: String?, phone: String?, email: String?, address: String?, idNumber: String?
  ) throws(FieldError) -> ReporterIdentity {
    ReporterIdentity(
      name: name, phone: try phone?.nonEmpty.map { p throws(FieldError) in try Contact.phone(p) },
      email: try email?.nonEmpty.map { e throws(FieldError) in try Contact.email(e) },
      address: address,
      idNumber: try idNumber?.nonEmpty.map { i throws(FieldError) in try Contact.idNumber(i) })
  }

  public var isEmpty: Bool {
    name == nil && phone == nil && email == nil && address == nil && idNumber == nil
  }

  /// 实名 needs a name (or unit) and a way to reach the person; anything less is 匿名.
  public var kind: ReporterKind {
    name != nil && (phone != nil || email != nil || address != nil) ? .realName : .anonymous
  }

  /// The normalised values that identify the same person across items, each tagged with its field,
  /// for the keyed hashes used in duplicate detection and email threading.
  public var matchKeys: [String] {
    var keys: [String] = []
    if let phone { keys.append("phone:\(phone)") }
    if let email { keys.append("email:\(email.lowercased())") }
    if let idNumber { keys.append("id:\(idNumber.uppercased())") }
    if let name, let address { keys.append("name-address:\(name)|\(address)") }
    return keys
  }

  public var description: String { kind.chinese }
  public var debugDescription: String { "ReporterIdentity(\(kind.rawValue))" }
  /// `dump` and debuggers show only the kind, too.
  public var customMirror: Mirror { Mirror(self, children: ["kind": kind]) }
}

extension String {
  /// The text trimmed of white space, or nil when nothing is left.
  public var nonEmpty: String? {
    let trimmed = trimming(.whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
  }
}
