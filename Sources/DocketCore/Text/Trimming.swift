import Foundation

extension String {
  /// The text without `set`'s characters at either end. The same as `trimmingCharacters(in:)`, but
  /// text with nothing to trim, nearly every cell of a list, comes back as it is without the copy
  /// through Foundation that costs more than checking the cell.
  func trimming(_ set: CharacterSet) -> String {
    guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
    guard set.contains(first) || set.contains(last) else { return self }
    return trimmingCharacters(in: set)
  }
}
