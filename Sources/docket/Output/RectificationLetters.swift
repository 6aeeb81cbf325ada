import DocketService
import Foundation

/// A letter to a unit lagging on its rectification measures, as Markdown and print-ready HTML.
enum RectificationLetterDocument {
  static func body(_ letter: RectificationLetter) -> String {
    switch letter.kind {
    case .reminder:
      "你单位牵头或参与的下列巡视整改措施已到完成时限仍未对账销号，或未达阶段节点，请抓紧推进，按要求报送整改进展和佐证材料。"
    case .supervision:
      "你单位牵头或参与的下列巡视整改措施超过完成时限时间较长，现予督办。请主要负责同志亲自过问，于收到本函后 5 个工作日内书面报告整改进展及滞后原因。"
    }
  }

  static let headers = ["序号", "编号", "整改措施", "完成时限", "状态", "逾期工作日", "最新进展"]

  static func rows(_ letter: RectificationLetter) -> [[String]] {
    letter.measures.enumerated().map { index, s in
      [
        String(index + 1), s.measure.ref, s.measure.text,
        MeasureText.due(s) + (s.standing.missedMilestone == nil ? "" : "，" + MeasureText.missed(s)),
        s.standing.state?.chinese ?? "",
        String(s.standing.workingDaysOverdue), s.standing.latestNote ?? "",
      ]
    }
  }

  static func markdown(_ letter: RectificationLetter) -> String {
    var out = "# \(letter.kind.chinese)\n\n\(letter.title)\n\n\(letter.unit)：\n\n\(body(letter))\n\n"
    out += RectificationDocument.markdownTable([headers] + rows(letter))
    out += "\n巡视整改工作领导小组办公室\n\n\(LetterDocument.dateLine(letter.date))\n"
    return out
  }

  static func html(_ letter: RectificationLetter) -> String {
    let escape = RectificationDocument.escape
    return RectificationDocument.page(
      letter.title,
      """
      <h1>\(letter.kind.chinese)</h1>
      <p style="text-align:center">\(escape(letter.title))</p>
      <p>\(escape(letter.unit))：</p>
      <p>\(escape(body(letter)))</p>
      \(RectificationDocument.htmlTable([headers] + rows(letter)))<p style="text-align:right;margin-top:3em">巡视整改工作领导小组办公室<br>\(LetterDocument.dateLine(letter.date))</p>

      """)
  }

  /// Writes each letter as `.md` and `.html` into `directory`; returns the paths written.
  static func write(_ letters: [RectificationLetter], to directory: String) throws(DocketError) -> [String] {
    try LetterFiles.write(
      letters.map { letter in
        (
          "\(letter.year)-整改\(letter.kind.chinese)-\(String(format: "%03d", letter.number))-\(letter.unit)",
          markdown(letter), html(letter)
        )
      }, to: directory)
  }
}
