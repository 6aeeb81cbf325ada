import Foundation

/// One data row of a list as text cells (trimmed by the reader), numbered as the spreadsheet numbers it.
public struct HandoverInputRow: Sendable {
  public var number: Int
  public var cells: [String]

  public init(number: Int, cells: [String]) {
    self.number = number
    self.cells = cells
  }
}

/// What applies to rows that do not say: the kind and source of the handover, and the office time.
public struct HandoverDefaults: Sendable {
  public var kind: Kind?
  public var source: Source
  public var time: OfficeTime
  /// Dates after this are refused: a letter cannot arrive after the list was handed over.
  public var latest: Date
  /// Serial dates count from 1904 (a workbook from old Mac Excel), not 1900.
  public var date1904 = false

  public init(kind: Kind?, source: Source, time: OfficeTime, latest: Date) {
    self.kind = kind
    self.source = source
    self.time = time
    self.latest = latest
  }
}

/// A row checked and ready to register.
public struct HandoverRow: Sendable {
  public var row: Int
  public var number: String?
  public var receivedAt: Date
  public var kind: Kind
  public var source: Source
  public var subject: String
  public var summary: String
  public var category: String?
  public var identity: ReporterIdentity
  public var accused: [HandoverAccused]
  public var note: String?
}

public struct HandoverAccused: Sendable, Equatable {
  public var name: String
  public var unit: String?
  public var rank: String?
}

/// Checks every row of a list; nothing is registered until all of them (or, when asked, the valid
/// ones) have passed.
public struct HandoverChecker: Sendable {
  let layout: HandoverLayout
  let defaults: HandoverDefaults
  private var offsets: [Int: Int] = [:]

  public init(layout: HandoverLayout, defaults: HandoverDefaults) {
    self.layout = layout
    self.defaults = defaults
  }

  /// The row checked, or every problem it has. A blank row is nil with no problems.
  public mutating func check(_ input: HandoverInputRow) -> (row: HandoverRow?, problems: [CellProblem]) {
    var problems: [CellProblem] = []
    func cell(_ field: HandoverField) -> String? {
      guard let index = layout.columns[field], index < input.cells.count else { return nil }
      let text = input.cells[index]
      return text.isEmpty ? nil : text
    }
    func problem(_ field: HandoverField, _ text: String) {
      let index = layout.columns[field]
      problems.append(
        CellProblem(
          row: input.number, column: index.map(columnLetters) ?? "—", header: layout.header(field),
          problem: text))
    }
    guard input.cells.contains(where: { !$0.isEmpty }) else {
      return (nil, [])
    }

    var receivedAt: Date?
    if let text = cell(.received) {
      if let date = date(text) {
        if date > defaults.latest {
          problem(.received, "'\(text)' is after the list was handed over; check the year")
        } else {
          receivedAt = date
        }
      } else {
        problem(
          .received, "'\(text)' is not a date; write 2021-09-28, 2021/9/28 or 2021年9月28日 (a time may follow)")
      }
    } else {
      problem(.received, "is empty; every letter needs the date it arrived")
    }
    let summary = cell(.summary)
    if summary == nil { problem(.summary, "is empty; every row needs what the letter says") }

    var kind = defaults.kind
    if let text = cell(.kind) {
      if let parsed = Kind.parse(text) {
        kind = parsed
      } else {
        problem(.kind, "'\(text)' is not a kind; use one of \(Self.accepted(Kind.self))")
      }
    } else if kind == nil {
      problem(.kind, "is empty and the import gives no --kind; say which kind these letters are")
    }
    var source = defaults.source
    if let text = cell(.source) {
      if let parsed = Source.parse(text) {
        source = parsed
      } else {
        problem(.source, "'\(text)' is not a source; use one of \(Self.accepted(Source.self))")
      }
    }

    var identity = ReporterIdentity(name: cell(.reporter), address: cell(.address))
    if let phone = cell(.phone) {
      do { identity.phone = try Contact.phone(phone) } catch {
        problem(.phone, "is not a phone number; write 13800138000 or 0759-8814115")
      }
    }
    if let idNumber = cell(.idNumber) {
      do { identity.idNumber = try Contact.idNumber(idNumber) } catch {
        problem(.idNumber, "is not a valid resident ID number (18 characters, the last a check digit or X)")
      }
    }
    if let email = cell(.email) {
      do { identity.email = try Contact.email(email) } catch {
        problem(.email, "is not an email address; write name@example.cn")
      }
    }

    guard problems.isEmpty, let receivedAt, let summary, let kind else { return (nil, problems) }
    let number = cell(.number)
    let category = cell(.category)
    // A subject is never taken from the summary, whose first words are often the reporter's name.
    let listed = number.map { "移交清单第\($0)号" } ?? "移交清单件"
    let subject =
      cell(.subject)
      ?? category.map { ($0.hasSuffix("问题") ? $0 : $0 + "问题") + "（\(listed)）" } ?? listed
    return (
      HandoverRow(
        row: input.number, number: number, receivedAt: receivedAt, kind: kind, source: source,
        subject: subject,
        summary: summary, category: category, identity: identity,
        accused: Self.accused(cell(.accused), units: cell(.unit), ranks: cell(.rank)), note: cell(.note)), []
    )
  }

  static func accepted<T: Term>(_: T.Type) -> String {
    T.allCases.map { "\($0.chinese) (\($0.rawValue))" }.joined(separator: ", ")
  }

  /// Several accused in one cell (`王某、李某`) with their units and ranks paired in order, or one
  /// unit and rank for all.
  static func accused(_ names: String?, units: String?, ranks: String?) -> [HandoverAccused] {
    guard let names else { return [] }
    func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
      switch scalar {
      case "、", "，", ",", "；", ";": true
      default: false
      }
    }
    if !names.unicodeScalars.contains(where: isSeparator) {
      return [HandoverAccused(name: names, unit: units, rank: ranks)]
    }
    func split(_ text: String?) -> [String] {
      (text ?? "").unicodeScalars.split(whereSeparator: isSeparator).map {
        String(String.UnicodeScalarView($0)).trimming(.whitespaces)
      }.filter { !$0.isEmpty }
    }
    let people = split(names)
    let unitList = split(units)
    let rankList = split(ranks)
    return people.enumerated().map { index, name in
      HandoverAccused(
        name: name,
        unit: unitList.count == people.count ? unitList[index] : units?.trimming(.whitespaces),
        rank: rankList.count == people.count ? rankList[index] : ranks?.trimming(.whitespaces))
    }
  }

  /// A date as lists write it, in the office's time zone: 2021-09-28, 2021/9/28, 2021.9.28,
  /// 2021年9月28日, with an optional `10:30[:15]`; or an Excel serial number (44467, 44467.4375).
  mutating func date(_ text: String) -> Date? {
    if let serial = Double(text), serial > 20_000, serial < 80_000 {
      // Excel's day 0 is 1899-12-30 (its 1900 leap-year bug makes that right for every date after
      // February 1900); the fraction is the time of day.
      let days = Int(serial.rounded(.down))
      let seconds = Int(((serial - Double(days)) * 86_400).rounded())
      return local(days: days - 25_569 + (defaults.date1904 ? 1_462 : 0), seconds: seconds)
    }
    var numbers: [Int] = []
    var current: Int?
    for scalar in text.unicodeScalars {
      if let digit = ("0"..."9").contains(scalar) ? Int(scalar.value) - 48 : nil {
        current = (current ?? 0) * 10 + digit
        if current! > 9999 { return nil }
      } else {
        if let value = current { numbers.append(value) }
        current = nil
        guard "-/.年月日 :：T".unicodeScalars.contains(scalar) else { return nil }
      }
    }
    if let value = current { numbers.append(value) }
    guard numbers.count == 3 || numbers.count == 5 || numbers.count == 6 else { return nil }
    guard (1900...2999).contains(numbers[0]),
      let civil = CivilDate(year: numbers[0], month: numbers[1], day: numbers[2])
    else { return nil }
    var seconds = 0
    if numbers.count >= 5 {
      guard numbers[3] < 24, numbers[4] < 60, numbers.count == 5 || numbers[5] < 60 else { return nil }
      seconds = numbers[3] * 3600 + numbers[4] * 60 + (numbers.count == 6 ? numbers[5] : 0)
    }
    return local(days: civil.ordinal, seconds: seconds)
  }

  /// The moment `seconds` after midnight of day `days` (since 1970-01-01) in the office; the zone's
  /// offset is looked up once per day, since a list has many rows per day.
  private mutating func local(days: Int, seconds: Int) -> Date {
    let offset: Int
    if let known = offsets[days] {
      offset = known
    } else {
      offset = defaults.time.timeZone.secondsFromGMT(
        for: Date(timeIntervalSince1970: Double(days * 86_400 + 43_200)))
      offsets[days] = offset
    }
    return Date(timeIntervalSince1970: Double(days * 86_400 + seconds - offset))
  }
}
