import DocketCore
import Foundation

/// RFC 5322 dates with the obsolete forms mail still carries: two- and three-digit years, zone
/// names, missing seconds or weekday, comments and extra whitespace; and the ISO-like form some
/// Chinese webmail writes (`2021-11-29 09:30:00 +0800`).
enum MailDate {
  static func parse(_ value: [UInt8]) -> Date? {
    // Drop comments, then split on whitespace and commas.
    var cleaned: [UInt8] = []
    var depth = 0
    for byte in value {
      if byte == UInt8(ascii: "(") {
        depth += 1
      } else if byte == UInt8(ascii: ")") {
        depth = max(0, depth - 1)
      } else if depth == 0 {
        cleaned.append(byte)
      }
    }
    let tokens = cleaned.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == UInt8(ascii: ",") })
      .map { String(decoding: $0, as: UTF8.self) }
    var index = 0
    if index < tokens.count, tokens[index].first?.isLetter == true, month(tokens[index]) == nil { index += 1 }
    guard index < tokens.count else { return nil }
    var day: Int
    var monthNumber: Int
    var year: Int
    var yearDigits = 4
    if let iso = isoDay(tokens[index]) {
      (year, monthNumber, day) = iso
      index += 1
    } else if let d = Int(tokens[index]), index + 2 < tokens.count, let m = month(tokens[index + 1]),
      let y = Int(tokens[index + 2])
    {
      (day, monthNumber, year) = (d, m, y)
      yearDigits = tokens[index + 2].count
      index += 3
    } else if let m = month(tokens[index]), index + 2 < tokens.count, let d = Int(tokens[index + 1]) {
      // asctime order: `Nov 29 09:30:00 2021`.
      monthNumber = m
      day = d
      guard let y = tokens.dropFirst(index + 2).compactMap({ Int($0) }).first else { return nil }
      year = y
      index += 2
    } else {
      return nil
    }
    switch yearDigits {
    case 2 where year < 50: year += 2000
    case 2, 3: year += 1900
    default: break
    }
    guard index < tokens.count, let time = clock(tokens[index]) else { return nil }
    index += 1
    if index < tokens.count, Int(tokens[index]) != nil, tokens[index].count == 4,
      !tokens[index].hasPrefix("+")
    {
      index += 1  // the asctime year, already read
    }
    var offset = 0
    if index < tokens.count, let zone = zone(tokens[index]) { offset = zone }
    // A day the month does not have (30 February) is refused, not carried into the next month.
    guard (1...9999).contains(year), let civil = CivilDate(year: year, month: monthNumber, day: day) else {
      return nil
    }
    let seconds = civil.ordinal * 86400 + time - offset
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  private static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]

  private static func month(_ token: String) -> Int? {
    let lower = token.lowercased()
    guard lower.count >= 3 else { return nil }
    return months.firstIndex(of: String(lower.prefix(3))).map { $0 + 1 }
  }

  private static func isoDay(_ token: String) -> (Int, Int, Int)? {
    let parts = token.split(separator: "-")
    guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]),
      let d = Int(parts[2])
    else { return nil }
    return (y, m, d)
  }

  /// Seconds since midnight from `hh:mm` or `hh:mm:ss`.
  private static func clock(_ token: String) -> Int? {
    let parts = token.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2 || parts.count == 3 else { return nil }
    guard let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else {
      return nil
    }
    var s = 0
    if parts.count == 3 {
      // Fractions of a second, which some gateways write, are dropped.
      guard let whole = Int(parts[2].prefix { $0 != "." }), (0...60).contains(whole) else { return nil }
      s = whole
    }
    return h * 3600 + m * 60 + s
  }

  private static func zone(_ token: String) -> Int? {
    if let sign = token.first, sign == "+" || sign == "-" {
      let digits = token.dropFirst().filter { $0 != ":" }
      guard digits.count == 4, let value = Int(digits) else { return nil }
      let seconds = (value / 100) * 3600 + (value % 100) * 60
      return sign == "-" ? -seconds : seconds
    }
    switch token.uppercased() {
    case "UT", "UTC", "GMT", "Z": return 0
    case "EST": return -5 * 3600
    case "EDT": return -4 * 3600
    case "CST": return -6 * 3600
    case "CDT": return -5 * 3600
    case "MST": return -7 * 3600
    case "MDT": return -6 * 3600
    case "PST": return -8 * 3600
    case "PDT": return -7 * 3600
    default:
      // Military letters were defined backwards in RFC 822; RFC 5322 says to read them as +0000.
      return token.count == 1 && token.first!.isLetter ? 0 : nil
    }
  }

}
