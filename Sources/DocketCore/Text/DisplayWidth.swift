/// How many terminal columns text takes: East Asian wide and fullwidth characters take two,
/// combining marks and zero-width characters none (after Unicode's East Asian Width, UAX #11).
public enum DisplayWidth {
  public static func of(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + of($1) }
  }

  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v == 0 || (0x200B...0x200F).contains(v) || v == 0xFEFF || (0xFE00...0xFE0F).contains(v) {
      return 0
    }
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format, .control: return 0
    default: break
    }
    return isWide(v) ? 2 : 1
  }

  private static func isWide(_ v: UInt32) -> Bool {
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
      0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
      true
    default: false
    }
  }

  /// `text` cut to at most `width` columns, ending in `…` when something was cut.
  public static func truncate(_ text: String, to width: Int) -> String {
    guard of(text) > width else { return text }
    var out = ""
    var used = 0
    for character in text {
      let w = of(String(character))
      if used + w > width - 1 { break }
      out.append(character)
      used += w
    }
    return out + "…"
  }
}

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
