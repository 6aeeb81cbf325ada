import Testing

@testable import DocketCore

@Suite("Display width")
struct DisplayWidthTests {
  @Test("ASCII takes one column per character")
  func ascii() {
    #expect(DisplayWidth.of("") == 0)
    #expect(DisplayWidth.of("a") == 1)
    #expect(DisplayWidth.of("2021-XF-00251") == 13)
    #expect(DisplayWidth.of(" ") == 1)
  }

  @Test("Chinese characters and full-width punctuation take two columns")
  func cjk() {
    #expect(DisplayWidth.of("信") == 2)
    #expect(DisplayWidth.of("申诉求决") == 8)
    #expect(DisplayWidth.of("已办结待审") == 10)
    #expect(DisplayWidth.of("，") == 2)  // U+FF0C fullwidth comma
    #expect(DisplayWidth.of("。") == 2)  // U+3002 ideographic full stop
    #expect(DisplayWidth.of("（") == 2)  // U+FF08 fullwidth parenthesis
    #expect(DisplayWidth.of("〔") == 2)  // U+3014 used in document numbers
    #expect(DisplayWidth.of("１") == 2)  // U+FF11 fullwidth digit
    #expect(DisplayWidth.of("한") == 2)  // Hangul syllable
    #expect(DisplayWidth.of("あ") == 2)  // Hiragana
    #expect(DisplayWidth.of("𠀀") == 2)  // CJK extension B, outside the BMP
  }

  @Test("mixed text adds up")
  func mixed() {
    #expect(DisplayWidth.of("2021年XF第251号") == 15)
    #expect(DisplayWidth.of("ZJ公安局") == 8)
  }

  @Test("combining marks and zero-width characters take no column")
  func zeroWidth() {
    #expect(DisplayWidth.of("e\u{0301}") == 1)  // e + combining acute accent
    #expect(DisplayWidth.of("\u{0301}") == 0)
    #expect(DisplayWidth.of("a\u{200B}b") == 2)  // zero-width space
    #expect(DisplayWidth.of("\u{FEFF}信") == 2)  // byte-order mark
    #expect(DisplayWidth.of("信\u{FE0F}") == 2)  // variation selector
    #expect(DisplayWidth.of("\u{20DD}") == 0)  // enclosing circle
    #expect(DisplayWidth.of("\u{0}") == 0)
    #expect(DisplayWidth.of("\t") == 0)  // control characters do not print
  }

  @Test("scalar widths")
  func scalars() {
    #expect(DisplayWidth.of(Unicode.Scalar("A")) == 1)
    #expect(DisplayWidth.of(Unicode.Scalar("中")) == 2)
    #expect(DisplayWidth.of(Unicode.Scalar(0x0301)!) == 0)
    #expect(DisplayWidth.of(Unicode.Scalar(0x1F600)!) == 2)  // 😀
  }

  @Test("text that fits is left alone")
  func truncateFits() {
    #expect(DisplayWidth.truncate("abc", to: 3) == "abc")
    #expect(DisplayWidth.truncate("信访件", to: 6) == "信访件")
    #expect(DisplayWidth.truncate("", to: 5) == "")
  }

  @Test("text that does not fit is cut to the width, ending in an ellipsis")
  func truncateCuts() {
    #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
    #expect(DisplayWidth.truncate("一二三四五六", to: 5) == "一二…")
    // A wide character is never split: one column is left empty instead.
    #expect(DisplayWidth.truncate("一二三四五六", to: 6) == "一二…")
    #expect(DisplayWidth.truncate("ab一二三", to: 6) == "ab一…")
    for width in 1...12 {
      let cut = DisplayWidth.truncate("关于廉江市公安局某某派出所民警违规问题的举报", to: width)
      #expect(DisplayWidth.of(cut) <= width, "width \(width)")
      #expect(cut.hasSuffix("…"))
    }
  }

  @Test("a combining mark stays with its letter when cutting")
  func truncateCombining() {
    let cut = DisplayWidth.truncate("e\u{0301}e\u{0301}e\u{0301}e\u{0301}", to: 3)
    #expect(cut == "e\u{0301}e\u{0301}…")
    #expect(DisplayWidth.of(cut) == 3)
  }
}

/// The display width of `line` up to where `cell` starts at or after column `from` (in characters).
private func columnOf(_ cell: String, in line: String, after prefix: String) -> Int? {
  guard line.hasPrefix(prefix) else { return nil }
  let rest = line.dropFirst(prefix.count)
  guard let range = rest.range(of: cell) else { return nil }
  return DisplayWidth.of(String(line[..<range.lowerBound]))
}

@Suite("Text table")
struct TextTableTests {
  static let rows: [[String]] = [
    ["2021-XF-00251", "申诉求决", "已办结", "251"],
    ["2021-XS-00152", "问题线索", "handling", "152"],
    ["XS-17", "clue", "暂存待查", "17"],
    ["2021-JB-00033", "检举控告", "closed", "33"],
  ]

  static func table() -> TextTable {
    var table = TextTable(
      headers: ["编号 ref", "种类", "状态 state", "件数"], alignments: [.left, .left, .left, .right])
    for row in rows { table.append(row) }
    return table
  }

  @Test("columns line up when cells mix Chinese and Latin text")
  func alignment() throws {
    let text = Self.table().render()
    #expect(text.hasSuffix("\n"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    #expect(lines.count == 2 + Self.rows.count)
    let header = ["编号 ref", "种类", "状态 state", "件数"]
    let data = [header] + Self.rows
    let textLines = [lines[0]] + lines[2...]

    // Where column 2 starts: the display width of everything before it is the same on every line.
    var starts: [Int] = []
    for (line, row) in zip(textLines, data) {
      starts.append(try #require(columnOf(row[1], in: line, after: row[0])))
    }
    #expect(Set(starts).count == 1, "column 2 starts at \(starts)")
    // The first column's widest cell is 13 columns; two spaces separate columns.
    #expect(starts.first == 15)

    // Column 3 lines up too.
    var thirds: [Int] = []
    for (line, row) in zip(textLines, data) {
      thirds.append(try #require(columnOf(row[2], in: line, after: row[0])))
    }
    #expect(Set(thirds).count == 1, "column 3 starts at \(thirds)")
    #expect(thirds.first == 15 + 8 + 2)

    // The right-aligned last column ends at the same display column on every line.
    let ends = textLines.map { DisplayWidth.of($0) }
    #expect(Set(ends).count == 1, "lines end at \(ends)")

    // The rule under the header spans each column and lines up with it.
    let rule = lines[1]
    #expect(rule.allSatisfy { $0 == "─" || $0 == " " })
    let segments = rule.split(separator: "  ").map { $0.count }
    #expect(segments == [13, 8, 10, 4])
    #expect(DisplayWidth.of(rule) == ends.first)
  }

  @Test("the exact rendering of a small mixed table")
  func exact() {
    var table = TextTable(headers: ["单位", "n"], alignments: [.left, .right])
    table.append(["公安局", "152"])
    table.append(["ZJ", "7"])
    #expect(
      table.render() == """
        单位      n
        ──────  ───
        公安局  152
        ZJ        7

        """)
  }

  @Test("left-aligned last columns leave no trailing spaces")
  func noTrailingSpaces() {
    var table = TextTable(headers: ["a", "long header"])
    table.append(["x", "y"])
    table.append(["一二三", ""])
    for line in table.render().split(separator: "\n") {
      #expect(!line.hasSuffix(" "))
    }
  }

  @Test("default alignment is left")
  func defaultLeft() {
    var table = TextTable(headers: ["n", "x"])
    table.append(["1", "a"])
    table.append(["100", "b"])
    #expect(table.alignments == [.left, .left])
    #expect(table.render() == "n    x\n───  ─\n1    a\n100  b\n")
  }

  @Test("short rows are padded with empty cells and extra cells are ignored")
  func raggedRows() {
    var table = TextTable(headers: ["a", "b", "c"])
    table.append(["1"])
    table.append(["1", "2", "3", "4"])
    #expect(table.render() == "a  b  c\n─  ─  ─\n1\n1  2  3\n")
  }

  @Test("long cells are cut with an ellipsis so the layout holds")
  func truncation() {
    var table = TextTable(headers: ["ref", "subject"])
    let subject = String(repeating: "关于某某派出所民警违规办案问题", count: 5)
    table.append(["2021-XF-00251", subject])
    table.append(["2021-XF-00252", "short"])
    let lines = table.render().split(separator: "\n").map(String.init)
    #expect(lines[2].hasSuffix("…"))
    #expect(!lines[2].contains(subject))
    let cell = String(lines[2].dropFirst("2021-XF-00251  ".count))
    #expect(DisplayWidth.of(cell) <= table.maximumCellWidth)
    #expect(DisplayWidth.of(cell) >= table.maximumCellWidth - 1)
    #expect(DisplayWidth.of(lines[1]) == 13 + 2 + DisplayWidth.of(cell))
  }

  @Test("the maximum cell width can be changed")
  func customMaximum() {
    var table = TextTable(headers: ["主题"])
    table.maximumCellWidth = 6
    table.append(["abcdefghij"])
    table.append(["一二三四五"])
    #expect(table.render() == "主题\n──────\nabcde…\n一二…\n")
  }

  @Test("newlines in a cell do not break the table")
  func newlines() {
    var table = TextTable(headers: ["a", "b"])
    table.append(["line one\nline two", "x"])
    let lines = table.render().split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 4)
    #expect(lines[2] == "line one line two  x")
  }

  @Test("a header-only table renders its header and rule")
  func empty() {
    #expect(TextTable(headers: ["编号", "ref"]).render() == "编号  ref\n────  ───\n")
  }
}
