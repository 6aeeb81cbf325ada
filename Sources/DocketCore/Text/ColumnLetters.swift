/// Spreadsheet column letters, as Excel and WPS show them: 0 → A, 25 → Z, 26 → AA.
public func columnLetters(_ index: Int) -> String {
  var index = index
  var letters = ""
  repeat {
    letters = String(UnicodeScalar(UInt8(65 + index % 26))) + letters
    index = index / 26 - 1
  } while index >= 0
  return letters
}
