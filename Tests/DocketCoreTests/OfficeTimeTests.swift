import Foundation
import Testing

@testable import DocketCore

/// 2021-09-28T02:30:00Z, i.e. 10:30 in Beijing.
private let halfPastTen = Date(timeIntervalSince1970: 1_632_796_200)
/// 2021-09-27T16:00:00Z, i.e. the start of 2021-09-28 in Beijing.
private let startOf28th = Date(timeIntervalSince1970: 1_632_758_400)

@Suite("Office time")
struct OfficeTimeTests {
  let office = OfficeTime.beijing

  @Test("the office is in Beijing time")
  func timeZone() {
    #expect(office.timeZone.identifier == "Asia/Shanghai")
    #expect(office.timeZone.secondsFromGMT(for: halfPastTen) == 8 * 3600)
  }

  @Test("a date alone is the start of that day in the office")
  func dateOnly() throws {
    let date = try office.parse("2021-09-28")
    #expect(date == startOf28th)
    #expect(date.rfc3339 == "2021-09-27T16:00:00Z")
  }

  @Test(
    "times without an offset are office time",
    arguments: [
      "2021-09-28 10:30", "2021-09-28T10:30", "2021-09-28T10:30:00", "2021-09-28t10:30:00",
      " 2021-09-28 10:30:00 ",
    ])
  func officeTime(_ text: String) throws {
    #expect(try office.parse(text) == halfPastTen)
  }

  @Test(
    "times with Z or an offset mean exactly that",
    arguments: [
      "2021-09-28T02:30:00Z", "2021-09-28T02:30:00z", "2021-09-28T02:30Z", "2021-09-28 02:30:00Z",
      "2021-09-28T10:30:00+08:00", "2021-09-28T10:30:00+0800", "2021-09-28T10:30+08:00",
      "2021-09-28T02:30:00+00:00", "2021-09-27T21:30:00-05:00", "2021-09-28T08:00:00+05:30",
    ])
  func withOffset(_ text: String) throws {
    #expect(try office.parse(text) == halfPastTen)
  }

  @Test("fractional seconds are kept to the microsecond")
  func fractions() throws {
    #expect(try office.parse("2021-09-28T10:30:00.5+08:00") == halfPastTen.addingTimeInterval(0.5))
    #expect(try office.parse("2021-09-28T02:30:00,25Z") == halfPastTen.addingTimeInterval(0.25))
    #expect(try office.parse("2021-09-28T10:30:00.123456").microseconds == 1_632_796_200_123_456)
    #expect(try office.parse("2021-09-28T02:30:00.000001Z").rfc3339 == "2021-09-28T02:30:00.000001Z")
    // Beyond microseconds (what PostgreSQL keeps) the time is rounded.
    #expect(try office.parse("2021-09-28T02:30:00.1234567Z").rfc3339 == "2021-09-28T02:30:00.123457Z")
  }

  @Test("an office in another zone reads times without offset in that zone")
  func otherZone() throws {
    let utc = OfficeTime(timeZone: TimeZone(identifier: "UTC")!)
    #expect(try utc.parse("2021-09-28 02:30") == halfPastTen)
    #expect(try utc.parse("2021-09-28T10:30:00+08:00") == halfPastTen)
  }

  @Test("leap days exist only in leap years")
  func leapDay() throws {
    #expect(try office.parse("2020-02-29").rfc3339 == "2020-02-28T16:00:00Z")
    #expect(throws: TimeError.self) { try office.parse("2021-02-29") }
  }

  @Test(
    "things that are not times are refused",
    arguments: [
      "2021-02-30", "2021-04-31", "2021-13-01", "2021-00-10", "2021-09-00", "2021-09-32",
      "2021-09-28 24:00", "2021-09-28 25:00", "2021-09-28 10:60", "2021-09-28 10:30:60",
      "2021-09-28 10:30:75", "2021-09-28T10:30:00+08:75", "2021-09-28T10:30:00+25:00",
      "garbage", "", "yesterday", "2021/09/28", "2021-9-28", "21-09-28", "20210928", "2021-09",
      "2021-09-28T", "2021-09-28 10", "2021-09-28 10:3", "2021-09-28T10:30:00.", "2021-09-28T10:30:00.Z",
      "2021-09-28T10:30:00+8", "2021-09-28T10:30:00+08", "2021-09-28T10:30:00Z extra",
      "2021-09-28x", "２０２１-09-28", "2021-09-28 10:30 +08:00",
    ])
  func refused(_ text: String) {
    let error = #expect(throws: TimeError.self) { try office.parse(text) }
    #expect(error?.text == text.trimmingCharacters(in: .whitespaces))
  }

  @Test("the error quotes the input and shows what would work")
  func errorMessage() {
    let error = #expect(throws: TimeError.self) { try office.parse("2021-02-30") }
    #expect(
      error?.description
        == "'2021-02-30' is not a time; write 2021-09-28, 2021-09-28 10:30 (office time) or 2021-09-28T02:30:00Z."
    )
  }

  // MARK: RFC 3339

  @Test("rfc3339 prints UTC with only the fractional digits needed")
  func rfc3339() {
    #expect(halfPastTen.rfc3339 == "2021-09-28T02:30:00Z")
    #expect(halfPastTen.addingTimeInterval(0.5).rfc3339 == "2021-09-28T02:30:00.5Z")
    #expect(halfPastTen.addingTimeInterval(0.12).rfc3339 == "2021-09-28T02:30:00.12Z")
    #expect(halfPastTen.addingTimeInterval(0.000001).rfc3339 == "2021-09-28T02:30:00.000001Z")
    #expect(Date(timeIntervalSince1970: 0).rfc3339 == "1970-01-01T00:00:00Z")
    #expect(Date(timeIntervalSince1970: -1).rfc3339 == "1969-12-31T23:59:59Z")
    #expect(Date(timeIntervalSince1970: -0.5).rfc3339 == "1969-12-31T23:59:59.5Z")
  }

  @Test("what rfc3339 prints parses back to the same instant")
  func roundTrip() throws {
    for date in [
      halfPastTen, halfPastTen.addingTimeInterval(0.5), halfPastTen.addingTimeInterval(0.123456),
      Date(timeIntervalSince1970: -0.5), startOf28th,
    ] {
      #expect(try office.parse(date.rfc3339) == date.truncatedToMicroseconds)
    }
  }

  @Test("microseconds are the unit of storage")
  func microseconds() {
    let date = halfPastTen.addingTimeInterval(0.1234562)
    #expect(date.microseconds == 1_632_796_200_123_456)
    #expect(date.truncatedToMicroseconds == Date(microseconds: 1_632_796_200_123_456))
    #expect(Date(microseconds: date.microseconds).microseconds == date.microseconds)
    #expect(Date(microseconds: -500_000).rfc3339 == "1969-12-31T23:59:59.5Z")
  }

  // MARK: office calendar

  @Test("the year is the office's year at the new-year boundary")
  func yearBoundary() {
    // 2021-12-31T16:30:00Z is 00:30 on 1 January 2022 in Beijing.
    let afterMidnight = Date(timeIntervalSince1970: 1_640_968_200)
    let beforeMidnight = Date(timeIntervalSince1970: 1_640_966_399)  // 23:59:59 in Beijing
    #expect(office.year(of: afterMidnight) == 2022)
    #expect(office.year(of: beforeMidnight) == 2021)
    #expect(OfficeTime(timeZone: TimeZone(identifier: "UTC")!).year(of: afterMidnight) == 2021)
    #expect(office.dayString(afterMidnight) == "2022-01-01")
    #expect(office.minuteString(afterMidnight) == "2022-01-01 00:30")
  }

  @Test("minute and day strings are in office time")
  func strings() {
    #expect(office.minuteString(halfPastTen) == "2021-09-28 10:30")
    #expect(office.dayString(halfPastTen) == "2021-09-28")
    #expect(office.dayString(startOf28th) == "2021-09-28")
    #expect(office.dayString(startOf28th.addingTimeInterval(-1)) == "2021-09-27")
    #expect(office.minuteString(startOf28th.addingTimeInterval(-1)) == "2021-09-27 23:59")
  }

  @Test("what the office prints, it reads back")
  func printedParses() throws {
    #expect(try office.parse(office.minuteString(halfPastTen)) == halfPastTen)
    #expect(try office.parse(office.dayString(halfPastTen)) == startOf28th)
  }
}
