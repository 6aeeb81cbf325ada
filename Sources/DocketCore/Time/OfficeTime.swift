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
    let text = raw.trimming(.whitespaces)
    let scalars = Array(text.unicodeScalars)
    var index = 0
    func number(_ width: Int) -> Int? {
      guard index + width <= scalars.count else { return nil }
      var value = 0
      for scalar in scalars[index..<(index + width)] {
        guard ("0"..."9").contains(scalar) else { return nil }
        value = value * 10 + Int(scalar.value) - 48
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
  ///
  /// Formatted by hand from the civil date: this runs for every time of every item a list prints,
  /// and Calendar and String(format:) cost more than the rest of the listing.
  public var rfc3339: String {
    let micros = microseconds
    var seconds = micros / 1_000_000
    var fraction = micros % 1_000_000
    if fraction < 0 {
      seconds -= 1
      fraction += 1_000_000
    }
    var days = seconds / 86_400
    var secondOfDay = seconds % 86_400
    if secondOfDay < 0 {
      days -= 1
      secondOfDay += 86_400
    }
    let (year, month, day) = Self.civil(fromDays: days)
    var trimmed = fraction
    var width = 6
    while trimmed != 0 && trimmed % 10 == 0 {
      trimmed /= 10
      width -= 1
    }
    let length = 20 + (fraction == 0 ? 0 : 1 + width)
    // Written straight into the string's storage: no array per call.
    return String(unsafeUninitializedCapacity: length) { bytes in
      var at = 0
      func put(_ value: Int64, _ width: Int) {
        var rest = value
        for i in stride(from: at + width - 1, through: at, by: -1) {
          bytes[i] = UInt8(48 + rest % 10)
          rest /= 10
        }
        at += width
      }
      func mark(_ byte: UInt8) {
        bytes[at] = byte
        at += 1
      }
      put(year, 4)
      mark(45)
      put(month, 2)
      mark(45)
      put(day, 2)
      mark(84)
      put(secondOfDay / 3600, 2)
      mark(58)
      put(secondOfDay / 60 % 60, 2)
      mark(58)
      put(secondOfDay % 60, 2)
      if fraction != 0 {
        mark(46)
        put(trimmed, width)
      }
      mark(90)
      return at
    }
  }

  /// Year, month and day of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
  static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

/// A time that is none of the accepted shapes.
public struct TimeError: Error, Sendable, Equatable, CustomStringConvertible {
  public let text: String
  public var description: String {
    "'\(text)' is not a time; write 2021-09-28, 2021-09-28 10:30 (office time) or 2021-09-28T02:30:00Z."
  }
}
