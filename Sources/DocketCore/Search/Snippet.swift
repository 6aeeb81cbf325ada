/// A few words around the first place a text has one of the terms, the term marked 【thus】, for a
/// search result. Terms are found as the index compares (NFKC, lower case), and the text is shown
/// as written.
public enum Snippet {
  /// Characters shown either side of the term.
  public static let context = 18

  /// The snippet of `text` for the first of `terms` it has, or nil when it has none of them.
  public static func make(_ text: String, terms: [String]) -> String? {
    let original = Array(text.replacingOccurrences(of: "\n", with: " "))
    // The normalised text, and for each of its characters the original character it came from.
    var normalized: [Character] = []
    var source: [Int] = []
    for (index, character) in original.enumerated() {
      for piece in SearchTokens.normalized(String(character)) {
        normalized.append(piece)
        source.append(index)
      }
    }
    var best: (start: Int, end: Int)?
    for term in terms.map(Array.init) where !term.isEmpty && term.count <= normalized.count {
      for start in 0...(normalized.count - term.count) where normalized[start] == term[0] {
        guard Array(normalized[start..<(start + term.count)]) == term else { continue }
        if best == nil || source[start] < best!.start {
          best = (source[start], source[start + term.count - 1] + 1)
        }
        break
      }
    }
    guard let (start, end) = best else { return nil }
    let lower = max(0, start - context)
    let upper = min(original.count, end + context)
    return (lower > 0 ? "…" : "") + String(original[lower..<start]) + "【" + String(original[start..<end])
      + "】"
      + String(original[end..<upper]) + (upper < original.count ? "…" : "")
  }
}
