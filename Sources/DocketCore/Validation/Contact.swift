import Foundation

/// Checks of what a registrar types in, with messages that say what was expected.
public enum Contact {
  /// A mainland phone number in its canonical form: a mobile number as 11 digits, a landline
  /// as `area-number` (`0759-8814115`), optionally with `-extension`; or an error saying why not.
  ///
  /// Spaces, dots and a leading `+86`/`0086` are tolerated because people write numbers that way.
  public static func phone(_ raw: String) throws(FieldError) -> String {
    // Spaces, dots and an opening parenthesis go; a closing one is a dash: (0371)6512 3456.
    // One pass by hand, as a handover list checks hundreds of thousands of numbers.
    var text = ""
    for scalar in raw.trimming(.whitespaces).unicodeScalars {
      switch scalar {
      case " ", ".", "(", "（": continue
      case ")", "）": text.unicodeScalars.append("-")
      default: text.unicodeScalars.append(scalar)
      }
    }
    for prefix in ["+86-", "+86", "0086-", "0086"] where text.hasPrefix(prefix) {
      text = String(text.dropFirst(prefix.count))
      // Mobile numbers start 13–19; Beijing's area code 10 also starts with 1 and needs its 0 back.
      if !text.hasPrefix("0") && (!text.hasPrefix("1") || text.hasPrefix("10")) { text = "0" + text }
      break
    }
    let digits = text.filter(\.isASCIIDigit)
    if digits.count == 11, digits.first == "1", text.allSatisfy({ $0.isASCIIDigit || $0 == "-" }) {
      let second = digits[digits.index(after: digits.startIndex)]
      if "3456789".contains(second) { return digits }
    }
    let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    if parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) {
      var area: String?
      var local: String?
      var ext: String?
      switch parts.count {
      case 1 where digits.first == "0" && (10...12).contains(digits.count):
        // Written without a dash: the area code is 3 digits for 010 and 02x, otherwise 4.
        let areaLength = digits.hasPrefix("010") || digits.hasPrefix("02") ? 3 : 4
        area = String(digits.prefix(areaLength))
        local = String(digits.dropFirst(areaLength))
      case 2, 3:
        area = parts[0]
        local = parts[1]
        ext = parts.count == 3 ? parts[2] : nil
      default: break
      }
      if let area, let local, area.first == "0", (3...4).contains(area.count),
        (7...8).contains(local.count), local.first != "0", local.first != "1",
        ext.map({ (1...6).contains($0.count) }) ?? true
      {
        return [area, local, ext].compactMap { $0 }.joined(separator: "-")
      }
    }
    throw FieldError(
      field: "phone", value: nil,
      problem: "is not a mainland mobile number (11 digits starting 13–19) or a landline with area code",
      expected: "for example 13800138000 or 0759-8814115")
  }

  /// A 6-digit postal code (邮政编码).
  public static func postcode(_ raw: String) throws(FieldError) -> String {
    let text = raw.trimming(.whitespaces)
    guard text.count == 6, text.allSatisfy(\.isASCIIDigit), text.first != "9" else {
      throw FieldError(
        field: "postcode", value: nil, problem: "is not a 6-digit postal code",
        expected: "six digits, for example 524200")
    }
    return text
  }

  /// An 18-digit resident identity card number whose check digit is right (GB 11643-1999).
  public static func idNumber(_ raw: String) throws(FieldError) -> String {
    let text = raw.trimming(.whitespaces).uppercased()
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    let checks = Array("10X98765432")
    let chars = Array(text)
    guard chars.count == 18, chars.prefix(17).allSatisfy(\.isASCIIDigit) else {
      throw FieldError(
        field: "id number", value: nil, problem: "is not 18 characters of which the first 17 are digits",
        expected: "an 18-digit resident identity card number")
    }
    let sum = zip(chars.prefix(17), weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
    guard chars[17] == checks[sum % 11] else {
      throw FieldError(
        field: "id number", value: nil, problem: "has a wrong check digit",
        expected: "the number exactly as printed on the card")
    }
    return text
  }

  /// An email address, lower-cased in its domain; only the shape is checked.
  public static func email(_ raw: String) throws(FieldError) -> String {
    let text = raw.trimming(.whitespaces)
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
      !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
      !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" })
    else {
      throw FieldError(
        field: "email", value: nil, problem: "is not an email address",
        expected: "name@example.cn")
    }
    return "\(parts[0])@\(parts[1].lowercased())"
  }
}

extension Character {
  var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// Input that does not have the shape a field needs.
///
/// `value` is echoed only for fields that are not identity; for a phone number or an ID number it
/// is nil so that the message can go to a log.
public struct FieldError: Error, Sendable, Equatable, CustomStringConvertible {
  public let field: String
  public let value: String?
  public let problem: String
  public let expected: String

  public init(field: String, value: String?, problem: String, expected: String) {
    self.field = field
    self.value = value
    self.problem = problem
    self.expected = expected
  }

  public var description: String {
    let shown = value.map { " '\($0)'" } ?? ""
    return "The \(field)\(shown) \(problem); expected \(expected)."
  }
}
