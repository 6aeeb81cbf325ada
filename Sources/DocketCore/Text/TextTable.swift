/// A plain-text table whose columns line up when cells mix Chinese and Latin text.
public struct TextTable: Sendable {
  public enum Alignment: Sendable { case left, right }

  public var headers: [String]
  public var alignments: [Alignment]
  public var rows: [[String]] = []
  /// Cells wider than this are cut with an ellipsis, so that a long subject cannot break the layout.
  public var maximumCellWidth = 40

  public init(headers: [String], alignments: [Alignment]? = nil) {
    self.headers = headers
    self.alignments = alignments ?? headers.map { _ in .left }
  }

  public mutating func append(_ row: [String]) { rows.append(row) }

  public func render() -> String {
    let cells = ([headers] + rows).map { row in
      row.map { DisplayWidth.truncate($0.replacingOccurrences(of: "\n", with: " "), to: maximumCellWidth) }
    }
    var widths = Array(repeating: 0, count: headers.count)
    for row in cells {
      for (i, cell) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], DisplayWidth.of(cell))
      }
    }
    func line(_ row: [String]) -> String {
      var parts: [String] = []
      for (i, width) in widths.enumerated() {
        let cell = i < row.count ? row[i] : ""
        let pad = String(repeating: " ", count: width - DisplayWidth.of(cell))
        parts.append(alignments[i] == .right ? pad + cell : cell + pad)
      }
      var text = parts.joined(separator: "  ")
      while text.hasSuffix(" ") { text.removeLast() }
      return text
    }
    var out = [line(cells[0])]
    out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
    out += cells.dropFirst().map(line)
    return out.joined(separator: "\n") + "\n"
  }
}
