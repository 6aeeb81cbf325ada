import Foundation

/// Times and days as people type them on a command line or in a form, read in the office's time
/// zone by the service, so that every front end accepts the same spellings and says the same
/// thing about a wrong one.
extension Docket {
  /// `2021-09-28` (the day's first instant), `2021-09-28 10:30` in office time, or RFC 3339;
  /// nil for nil. `option` names what was typed (`--at`) in the error.
  public func time(_ text: String?, option: String) throws(DocketError) -> Date? {
    guard let text else { return nil }
    do { return try office.time.parse(text) } catch { throw .invalid("\(option): \(error.description)") }
  }

  /// A calendar day, `2021-09-20`; nil for nil.
  public func day(_ text: String?, option: String) throws(DocketError) -> CivilDate? {
    guard let text else { return nil }
    guard let day = CivilDate(text.trimmingCharacters(in: .whitespaces)) else {
      throw .invalid("\(option): '\(text)' is not a day; write 2021-09-20.")
    }
    return day
  }
}
