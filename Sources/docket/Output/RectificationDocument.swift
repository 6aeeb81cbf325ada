import DocketService
import Foundation

/// A round's progress report (`rectify report`) as Markdown, HTML, rows for CSV and XLSX, and
/// JSON; and, with `--public`, the draft of the public progress report shaped like the seed.
struct RectificationDocument {
  let report: RectificationReport
  /// The office's feedback contacts, for the public draft.
  var contacts: [(key: String, value: String)] = []

  var asOfDay: String { OfficeTime.beijing.dayString(report.asOf) }
  var title: String { "\(report.round.name)进展情况" }

  static let totalsHeaders = ["", "措施", "已销号", "已完成待销号", "推进中", "未启动", "逾期", "长期坚持"]

  static func totalsRow(_ name: String, _ t: MeasureTotals) -> [String] {
    [name]
      + [t.measures, t.signedOff, t.awaitingSignOff, t.inProgress, t.planned, t.overdue, t.longTerm].map(
        String.init)
  }

  /// `107 / 119宗`, `251 / 251件` for a linked measure, or empty.
  static func figure(_ snapshot: MeasureSnapshot) -> String {
    guard let progress = snapshot.progress else {
      return snapshot.measure.target.map { "目标\($0.description)" } ?? ""
    }
    let unit = progress.unit ?? ""
    guard let of = progress.of else { return MeasureTarget.format(progress.done) + unit }
    return "\(MeasureTarget.format(progress.done)) / \(MeasureTarget.format(of))\(unit)"
  }

  /// The report's tables, each a title and rows with a header row first.
  var tables: [(String, [[String]])] {
    let totals = [Self.totalsHeaders, Self.totalsRow("合计", report.totals)]
    let aspects = [Self.totalsHeaders] + report.byAspect.map { Self.totalsRow($0.name, $0.totals) }
    let leads = [Self.totalsHeaders] + report.byLead.map { Self.totalsRow($0.name, $0.totals) }
    let units = [Self.totalsHeaders] + report.byUnit.map { Self.totalsRow($0.name, $0.totals) }
    let targets =
      [["编号", "整改措施", "目标", "当前", "来源"]]
      + report.targets.map { snapshot in
        [
          snapshot.measure.ref, snapshot.measure.text, snapshot.measure.target?.description ?? "",
          Self.figure(snapshot), snapshot.link.map { "案件台账（\($0.description)）" } ?? "进展填报",
        ]
      }
    let measures =
      [["编号", "整改措施", "牵头领导", "责任单位", "完成时限", "状态", "预警", "最新进展"]]
      + report.measures.map { s in
        [
          s.measure.ref, s.measure.text, s.measure.leadName, s.measure.units.joined(separator: "、"),
          MeasureText.due(s), s.standing.state?.chinese ?? "", s.standing.warning.chinese,
          s.standing.latestNote ?? "",
        ]
      }
    return [
      ("总体情况", totals), ("按问题方面", aspects), ("按牵头领导", leads), ("按责任单位", units),
      ("量化目标", targets), ("措施清单", measures),
    ]
  }

  /// One sheet of rows: each table under its title, a blank row between.
  var rows: [[String]] {
    var rows: [[String]] = [[title], ["截至 \(asOfDay)"]]
    for (name, table) in tables { rows += [[], [name]] + table }
    rows += [[], ["群众意见建议", "收到 \(report.suggestions.received)", "已办理答复 \(report.suggestions.answered)"]]
    return rows
  }

  func markdown() -> String {
    var out = "# \(title)\n\n截至 \(asOfDay)。\(report.totalsSentence)\n"
    for (name, table) in tables {
      out += "\n## \(name)\n\n" + Self.markdownTable(table)
    }
    out += "\n群众对巡视整改的意见建议：收到 \(report.suggestions.received) 件，已办理答复 \(report.suggestions.answered) 件。\n"
    return out
  }

  func html() -> String {
    var body = "<h1>\(Self.escape(title))</h1>\n<p>截至 \(asOfDay)。\(Self.escape(report.totalsSentence))</p>\n"
    for (name, table) in tables { body += "<h2>\(Self.escape(name))</h2>\n" + Self.htmlTable(table) }
    body +=
      "<p>群众对巡视整改的意见建议：收到 \(report.suggestions.received) 件，已办理答复 \(report.suggestions.answered) 件。</p>\n"
    return Self.page(title, body)
  }

  func json() -> JSONValue {
    func totals(_ t: MeasureTotals) -> [(String, JSONValue)] {
      [
        ("awaiting_sign_off", .number(Int64(t.awaitingSignOff))), ("claimed", .number(Int64(t.claimed))),
        ("in_progress", .number(Int64(t.inProgress))), ("long_term", .number(Int64(t.longTerm))),
        ("measures", .number(Int64(t.measures))), ("overdue", .number(Int64(t.overdue))),
        ("planned", .number(Int64(t.planned))), ("signed_off", .number(Int64(t.signedOff))),
      ]
    }
    func groups(_ key: String, _ list: [RectificationReport.Group]) -> JSONValue {
      .array(list.map { .object([(key, .string($0.name))] + totals($0.totals)) })
    }
    let targets: [JSONValue] = report.targets.map { s in
      let progress = s.progress
      return .object([
        ("done", progress.map { .decimal($0.done) } ?? .null),
        ("linked", s.link.map { .string($0.description) } ?? .null),
        ("linked_closed", s.figure.map { .number(Int64($0.closed)) } ?? .null),
        ("linked_total", s.figure.map { .number(Int64($0.total)) } ?? .null),
        ("ref", .string(s.measure.ref)), ("target", s.measure.target.map { .decimal($0.value) } ?? .null),
        ("text", .string(s.measure.text)), ("unit", .text(progress?.unit ?? s.measure.target?.unit)),
      ])
    }
    return .object(
      [("as_of", .time(report.asOf))] + totals(report.totals).prefix(1)
        + [("by_aspect", groups("aspect", report.byAspect)), ("by_lead", groups("lead", report.byLead))]
        + [("by_unit", groups("unit", report.byUnit))] + totals(report.totals).dropFirst()
        + [
          ("round", .number(Int64(report.round.id))),
          (
            "suggestions",
            .object([
              ("answered", .number(Int64(report.suggestions.answered))),
              ("received", .number(Int64(report.suggestions.received))),
            ])
          ),
          ("targets", .array(targets)),
        ])
  }

  /// For a terminal: the totals by aspect and the quantified targets.
  func summary() -> String {
    var out = "\(title)（截至 \(asOfDay)）\n\(report.totalsSentence)\n"
    var totals = TextTable(headers: Self.totalsHeaders)
    for group in report.byAspect { totals.append(Self.totalsRow(group.name, group.totals)) }
    totals.append(Self.totalsRow("合计", report.totals))
    out += totals.render()
    var targets = TextTable(headers: ["编号", "整改措施", "目标", "当前"])
    for s in report.targets {
      targets.append([
        s.measure.ref, String(s.measure.text.prefix(20)), s.measure.target?.description ?? "", Self.figure(s),
      ])
    }
    out += "\n量化目标\n" + targets.render()
    let lagging = Set(report.measures.filter(\.standing.lagging).flatMap(\.measure.units))
    out += "\n进展滞后：\(report.totals.overdue) 条措施，涉及 \(lagging.count) 个责任单位。\n"
    out += "群众对巡视整改的意见建议：收到 \(report.suggestions.received) 件，已办理答复 \(report.suggestions.answered) 件。\n"
    return out
  }

  // MARK: The public draft

  /// The public progress report's draft: a section per aspect and problem, each measure's latest
  /// progress and figures, the totals sentence, the suggestions, and the feedback contacts. Staff
  /// logins and the ledger's internal states stay out of it.
  func publicMarkdown() -> String {
    var out = "# \(report.round.name)进展情况的报告（初稿）\n\n"
    out +=
      "根据\(report.round.team)\(Self.chineseDate(report.round.feedbackDate))反馈意见，截至\(Self.chineseDate(OfficeTime.beijing.civilDate(of: report.asOf)))，\(report.totalsSentence)\n"
    for (aspect, problems) in sections {
      out += "\n## \(aspect)\n"
      for (problem, measures) in problems {
        out += "\n### \(problem)\n\n"
        for s in measures { out += "\(s.measure.number). \(Self.publicLine(s))\n\n" }
      }
    }
    out += "\n\(suggestionsSentence)\n\n\(contactsSentence)\n"
    return out
  }

  func publicHTML() -> String {
    var body = "<h1>\(Self.escape(report.round.name))进展情况的报告（初稿）</h1>\n"
    body +=
      "<p>根据\(Self.escape(report.round.team))\(Self.chineseDate(report.round.feedbackDate))反馈意见，截至\(Self.chineseDate(OfficeTime.beijing.civilDate(of: report.asOf)))，\(Self.escape(report.totalsSentence))</p>\n"
    for (aspect, problems) in sections {
      body += "<h2>\(Self.escape(aspect))</h2>\n"
      for (problem, measures) in problems {
        body += "<h3>\(Self.escape(problem))</h3>\n<ol>\n"
        for s in measures {
          body += "<li value=\"\(s.measure.number)\">\(Self.escape(Self.publicLine(s)))</li>\n"
        }
        body += "</ol>\n"
      }
    }
    body += "<p>\(Self.escape(suggestionsSentence))</p>\n<p>\(Self.escape(contactsSentence))</p>\n"
    return Self.page("\(report.round.name)进展情况的报告（初稿）", body)
  }

  /// Aspects and their problems in plan order, each with its measures.
  var sections: [(String, [(String, [MeasureSnapshot])])] {
    var aspects: [(String, [(String, [MeasureSnapshot])])] = []
    for s in report.measures {
      if aspects.last?.0 != s.measure.aspect { aspects.append((s.measure.aspect, [])) }
      if aspects[aspects.count - 1].1.last?.0 != s.measure.problem {
        aspects[aspects.count - 1].1.append((s.measure.problem, []))
      }
      let last = aspects[aspects.count - 1].1.count - 1
      aspects[aspects.count - 1].1[last].1.append(s)
    }
    return aspects
  }

  /// A measure in the public draft: its text, its state in words, the latest progress, figures.
  static func publicLine(_ s: MeasureSnapshot) -> String {
    var line = s.measure.text.trimmingCharacters(in: .whitespaces)
    if !line.hasSuffix("。") { line += "。" }
    let state: String =
      switch s.standing.state {
      case .signedOff?, .completed?: "已完成。"
      case .planned?: "正在部署推进。"
      default: s.measure.category == .longTerm ? "长期坚持，持续推进。" : "正在推进。"
      }
    line += "整改情况：" + state
    if let note = s.standing.latestNote?.trimmingCharacters(in: .whitespaces), !note.isEmpty {
      line += note.hasSuffix("。") ? note : note + "。"
    }
    if let progress = s.progress {
      let unit = progress.unit ?? ""
      let done = MeasureTarget.format(progress.done)
      if let of = progress.of {
        let left = max(0, of - progress.done)
        line +=
          s.figure != nil
          ? "共\(MeasureTarget.format(of))\(unit)，已办结\(done)\(unit)"
            + (left > 0 ? "，正在办理\(MeasureTarget.format(left))\(unit)。" : "，全部办结。")
          : "目标\(MeasureTarget.format(of))\(unit)，已完成\(done)\(unit)"
            + (left > 0 ? "，剩余\(MeasureTarget.format(left))\(unit)。" : "。")
      } else {
        line += "已完成\(done)\(unit)。"
      }
    }
    return line
  }

  var suggestionsSentence: String {
    "巡视整改期间，共收到干部群众对巡视整改的意见建议\(report.suggestions.received)件，已办理答复\(report.suggestions.answered)件。"
  }

  /// The seed's closing paragraph, from the office's configured contacts.
  var contactsSentence: String {
    let values = Dictionary(contacts.map { ($0.key, $0.value) }) { a, _ in a }
    var parts: [String] = []
    if let phone = values["feedback_phone"] { parts.append("电话\(phone)") }
    if let address = values["feedback_address"] {
      parts.append(
        "邮政信箱：\(address)" + (values["feedback_envelope_note"].map { "（信封请注明“\($0)”）" } ?? ""))
    }
    if let email = values["feedback_email"] { parts.append("电子邮箱：\(email)") }
    let ask = "欢迎广大干部群众对巡视整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    return parts.isEmpty
      ? ask
        + "（联系方式未设置：docket config set feedback_phone / feedback_address / feedback_envelope_note / feedback_email）"
      : ask + "联系方式：" + parts.joined(separator: "；") + "。"
  }

  static func chineseDate(_ date: CivilDate) -> String { "\(date.year)年\(date.month)月\(date.day)日" }

  // MARK: Markup

  static func markdownTable(_ rows: [[String]]) -> String {
    guard let head = rows.first else { return "" }
    func cell(_ text: String) -> String {
      text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
    var out = "| " + head.map(cell).joined(separator: " | ") + " |\n"
    out += "|" + head.map { _ in " --- " }.joined(separator: "|") + "|\n"
    for row in rows.dropFirst() { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
    return out
  }

  static func htmlTable(_ rows: [[String]]) -> String {
    guard let head = rows.first else { return "" }
    let header = head.map { "<th>\(escape($0))</th>" }.joined()
    let body = rows.dropFirst().map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }
    return
      "<table><thead><tr>\(header)</tr></thead><tbody>\n\(body.joined(separator: "\n"))\n</tbody></table>\n"
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  /// A print-ready page.
  static func page(_ title: String, _ body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="zh-CN"><head><meta charset="utf-8"><title>\(escape(title))</title>
    <style>
    @page { size: A4; margin: 25mm 20mm; }
    body { font-family: "Noto Serif CJK SC", "Songti SC", SimSun, serif; font-size: 12pt; line-height: 1.7; color: #000; }
    h1 { text-align: center; font-size: 20pt; }
    table { width: 100%; border-collapse: collapse; margin: 1em 0; font-size: 10.5pt; }
    th, td { border: 1px solid #000; padding: 3px 6px; text-align: left; vertical-align: top; }
    th { background: #eee; }
    tr { page-break-inside: avoid; }
    </style></head>
    <body>
    \(body)</body></html>

    """
  }
}

/// How the ledger's commands print a measure's pieces.
enum MeasureText {
  static func due(_ s: MeasureSnapshot) -> String {
    switch s.measure.category {
    case .immediate: "立行立改" + (s.standing.due.map { "（\($0.description)）" } ?? "")
    case .longTerm: "长期坚持"
    case .deadline(let date): date.description
    }
  }

  /// The milestone a measure is behind, as the board and letters say it; empty when none.
  static func missed(_ s: MeasureSnapshot) -> String {
    guard let missed = s.standing.missedMilestone else { return "" }
    return "未达阶段节点 \(missed.day)" + (missed.done.map { "（应达 \(MeasureTarget.format($0))）" } ?? "（未报进展）")
  }
}
