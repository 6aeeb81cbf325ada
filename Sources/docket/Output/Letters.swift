import DocketService
import Foundation

/// A supervision letter as Markdown and as a print-ready HTML page; the reporter never appears.
enum LetterDocument {
  static func body(_ letter: SupervisionLetter) -> String {
    switch letter.kind {
    case .reminder:
      "你单位承办的下列信访举报件即将到期，请抓紧办理，按期办结。"
    case .chaser:
      "你单位承办的下列信访举报件已超过办理时限，请抓紧办理，并于收到本函后 5 个工作日内书面报告办理进展。"
    case .supervision:
      "你单位承办的下列信访举报件超期时间较长，现予督办。请主要负责同志亲自过问，于收到本函后 5 个工作日内书面报告办理情况及超期原因。"
    }
  }

  static func dateLine(_ date: CivilDate) -> String { "\(date.year)年\(date.month)月\(date.day)日" }

  static func rows(_ letter: SupervisionLetter) -> [[String]] {
    letter.lines.enumerated().map { index, line in
      [
        String(index + 1), line.item.ref, line.item.subject, line.clock.clock.chinese,
        line.clock.dueLabel(.chinese),
        line.workingDaysOverdue > 0 ? String(line.workingDaysOverdue) : "未逾期",
      ]
    }
  }

  static let headers = ["序号", "编号", "事由", "时限", "到期日", "逾期工作日"]

  static func markdown(_ letter: SupervisionLetter) -> String {
    func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
    var out = "# \(letter.kind.chinese)\n\n\(letter.title)\n\n\(letter.unit)：\n\n\(body(letter))\n\n"
    out += "| " + headers.joined(separator: " | ") + " |\n"
    out += "|" + headers.map { _ in " --- " }.joined(separator: "|") + "|\n"
    for row in rows(letter) { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
    out += "\n案件监督管理室\n\n\(dateLine(letter.date))\n"
    return out
  }

  static func html(_ letter: SupervisionLetter) -> String {
    func escape(_ text: String) -> String {
      text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    let head = headers.map { "<th>\($0)</th>" }.joined()
    let body = rows(letter).map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined(
      separator: "\n")
    return """
      <!DOCTYPE html>
      <html lang="zh-CN"><head><meta charset="utf-8"><title>\(escape(letter.title))</title>
      <style>
      @page { size: A4; margin: 25mm 20mm; }
      body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; font-size: 12pt; line-height: 1.7; color: #000; }
      h1 { text-align: center; font-size: 22pt; letter-spacing: 0.5em; margin: 0 0 0.5em; }
      .number { text-align: center; margin-bottom: 2em; }
      table { width: 100%; border-collapse: collapse; margin: 1.5em 0; font-size: 10.5pt; }
      th, td { border: 1px solid #000; padding: 4px 6px; text-align: left; vertical-align: top; }
      th { background: #eee; }
      tr { page-break-inside: avoid; }
      .sign { text-align: right; margin-top: 3em; }
      </style></head>
      <body>
      <h1>\(letter.kind.chinese)</h1>
      <p class="number">\(escape(letter.title))</p>
      <p>\(escape(letter.unit))：</p>
      <p>\(escape(LetterDocument.body(letter)))</p>
      <table><thead><tr>\(head)</tr></thead><tbody>
      \(body)
      </tbody></table>
      <p class="sign">案件监督管理室<br>\(dateLine(letter.date))</p>
      </body></html>

      """
  }

  /// Writes each letter as `.md` and `.html` into `directory` and returns the paths written.
  static func write(_ letters: [SupervisionLetter], to directory: String) throws(DocketError) -> [String] {
    try LetterFiles.write(
      letters.map { letter in
        (
          "\(letter.year)-\(letter.kind.chinese)-\(String(format: "%03d", letter.number))-\(letter.unit)",
          markdown(letter), html(letter)
        )
      }, to: directory)
  }
}

/// Letters as files: a Markdown and a printable HTML copy of each, side by side.
enum LetterFiles {
  /// Writes each letter's `.md` and `.html` into `directory`, named by its stem (a `/` in a unit's
  /// name made safe), and returns the paths written.
  static func write(_ letters: [(stem: String, markdown: String, html: String)], to directory: String)
    throws(DocketError) -> [String]
  {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw .invalid("The letters directory \(directory) cannot be created: \(error.localizedDescription).")
    }
    var paths: [String] = []
    for letter in letters {
      let stem = letter.stem.replacingOccurrences(of: "/", with: "／")
      for (suffix, text) in [("md", letter.markdown), ("html", letter.html)] {
        let path = (directory as NSString).appendingPathComponent("\(stem).\(suffix)")
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
          throw .invalid("The letter \(path) could not be written.")
        }
        paths.append(path)
      }
    }
    return paths
  }
}
