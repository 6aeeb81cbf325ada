import Foundation

/// Times as people type them: RFC 3339, or without an offset in the office's time zone, or a date.
public struct OfficeTime: Sendable {
  /// The office's time zone (default Asia/Shanghai).
  public let timeZone: TimeZone

  public init(timeZone: TimeZone) { self.timeZone = timeZone }

  /// The default office: Beijing time.
  public static let beijing = OfficeTime(timeZone: TimeZone(identifier: "Asia/Shanghai")!)

  /// Parses `2021-09-28`, `2021-09-28 10:30`, `2021-09-28T10:30:00`, `2021-09-28T02:30:00Z` or
  /// `2021-09-28T10:30:00.5+08:00`. A date alone means the start of that day in the office.
  public func parse(_ raw: String) throws(TimeError) -> Date {
    let text = raw.trimmingCharacters(in: .whitespaces)
    let scalars = Array(text.unicodeScalars)
    var index = 0
    func number(_ width: Int) -> Int? {
      guard index + width <= scalars.count else { return nil }
      var value = 0
      for scalar in scalars[index..<(index + width)] {
        guard let digit = scalar.properties.numericType != nil ? Int(String(scalar)) : nil,
          scalar.isASCII
        else { return nil }
        value = value * 10 + digit
      }
      index += width
      return value
    }
    func expect(_ characters: String) -> Bool {
      guard index < scalars.count, characters.unicodeScalars.contains(scalars[index]) else {
        return false
      }
      index += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2)
    else { throw TimeError(text: text) }
    var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
    var zone = timeZone
    var fraction = 0.0
    if index < scalars.count {
      guard expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), hour < 24,
        minute < 60
      else {
        throw TimeError(text: text)
      }
      components.hour = hour
      components.minute = minute
      if expect(":") {
        guard let second = number(2), second < 60 else { throw TimeError(text: text) }
        components.second = second
        if expect(".,") {
          let start = index
          while index < scalars.count, scalars[index].isASCII,
            ("0"..."9").contains(Character(scalars[index]))
          {
            index += 1
          }
          guard index > start else { throw TimeError(text: text) }
          fraction = Double("0." + String(String.UnicodeScalarView(scalars[start..<index])))!
        }
      }
      if index < scalars.count {
        if expect("Zz") {
          zone = TimeZone(identifier: "UTC")!
        } else {
          let sign = scalars[index] == "-" ? -1 : 1
          guard expect("+-"), let hours = number(2), expect(":") || true, let minutes = number(2),
            minutes < 60, let offset = TimeZone(secondsFromGMT: sign * (hours * 3600 + minutes * 60))
          else { throw TimeError(text: text) }
          zone = offset
        }
      }
    }
    guard index == scalars.count else { throw TimeError(text: text) }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    components.timeZone = zone
    guard let date = calendar.date(from: components),
      calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
    else { throw TimeError(text: text) }
    return date.addingTimeInterval(fraction).truncatedToMicroseconds
  }

  /// The calendar year of `date` in the office, which numbers reference sequences.
  public func year(of date: Date) -> Int { calendar.component(.year, from: date) }

  /// `2021-09-28 10:30` in the office's time zone, for tables.
  public func minuteString(_ date: Date) -> String {
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    return String(format: "%04d-%02d-%02d %02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!)
  }

  /// `2021-09-28` in the office's time zone.
  public func dayString(_ date: Date) -> String {
    let c = calendar.dateComponents([.year, .month, .day], from: date)
    return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
  }

  public var calendar: Calendar {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    return calendar
  }
}

extension Date {
  /// PostgreSQL keeps microseconds; rounding here makes a time read back equal the time written.
  public var truncatedToMicroseconds: Date {
    Date(timeIntervalSince1970: (timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000)
  }

  /// Microseconds since 1970, the exact form hashed into the journal.
  public var microseconds: Int64 { Int64((timeIntervalSince1970 * 1_000_000).rounded()) }

  public init(microseconds: Int64) {
    self.init(timeIntervalSince1970: Double(microseconds) / 1_000_000)
  }

  /// RFC 3339 in UTC with as many fractional digits as needed (`2021-09-28T02:30:00Z`).
  public var rfc3339: String {
    let micros = microseconds
    var seconds = micros / 1_000_000
    var fraction = micros % 1_000_000
    if fraction < 0 {
      seconds -= 1
      fraction += 1_000_000
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents(
      [.year, .month, .day, .hour, .minute, .second],
      from: Date(timeIntervalSince1970: Double(seconds)))
    var text = String(
      format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    if fraction != 0 {
      var digits = String(format: "%06lld", fraction)
      while digits.hasSuffix("0") { digits.removeLast() }
      text += "." + digits
    }
    return text + "Z"
  }
}

/// A time that is none of the accepted shapes.
public struct TimeError: Error, Sendable, Equatable, CustomStringConvertible {
  public let text: String
  public var description: String {
    "'\(text)' is not a time; write 2021-09-28, 2021-09-28 10:30 (office time) or 2021-09-28T02:30:00Z."
  }
}
