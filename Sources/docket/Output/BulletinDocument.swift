import DocketService
import Foundation

/// The weekly bulletin as sections of labelled tables, written in the report formats.
struct BulletinDocument {
  let bulletin: WeeklyBulletin
  let language: Language

  var zh: Bool { language == .chinese }

  struct Section {
    var title: String
    var headers: [String]
    var rows: [[String]]
    /// Columns from this one on are numbers.
    var firstNumeric: Int
  }

  var period: String {
    let time = OfficeTime(timeZone: TimeZone(identifier: bulletin.timeZone) ?? .current)
    let first = time.dayString(bulletin.from)
    let last = time.dayString(bulletin.to.addingTimeInterval(-1))
    return "\(first) — \(last)"
  }

  var title: String { zh ? "信访举报工作周通报（\(period)）" : "Weekly bulletin, \(period)" }

  var sections: [Section] {
    let kinds = Kind.allCases.filter { kind in bulletin.intake.contains { $0.kind == kind } }
    var intake: [[String]] = []
    for channel in Channel.allCases {
      let rows = bulletin.intake.filter { $0.channel == channel }
      guard !rows.isEmpty else { continue }
      let counts = kinds.map { kind in rows.filter { $0.kind == kind }.map(\.received).reduce(0, +) }
      intake.append(
        [channel.label(language)] + counts.map(String.init)
          + [String(counts.reduce(0, +)), String(rows.map(\.duplicates).reduce(0, +))])
    }
    let totals = kinds.map { kind in bulletin.intake.filter { $0.kind == kind }.map(\.received).reduce(0, +) }
    intake.append(
      [zh ? "合计" : "Total"] + totals.map(String.init)
        + [String(totals.reduce(0, +)), String(bulletin.intake.map(\.duplicates).reduce(0, +))])
    let closures =
      bulletin.closures.map { [($0.unit ?? (zh ? "（未交办）" : "(unassigned)")), String($0.count)] }
      + [[zh ? "合计" : "Total", String(bulletin.closures.map(\.count).reduce(0, +))]]
    let warnings = bulletin.warnings.map { change in
      [
        change.clock.warning.label(language), change.item.unitName ?? (zh ? "（未交办）" : "(unassigned)"),
        change.item.ref, change.item.subject, change.clock.clock.label(language),
        change.clock.dueLabel(language), change.before.label(language),
      ]
    }
    return [
      Section(
        title: zh ? "一、本周收件（按渠道和种类）" : "1. Received this week, by channel and kind",
        headers: [zh ? "渠道" : "Channel"] + kinds.map { $0.label(language) }
          + [zh ? "合计" : "Total", zh ? "其中重复件" : "Duplicates"],
        rows: intake, firstNumeric: 1),
      Section(
        title: zh ? "二、本周办结（按承办单位）" : "2. Closed this week, by unit",
        headers: [zh ? "承办单位" : "Unit", zh ? "办结" : "Closed"], rows: closures, firstNumeric: 1),
      Section(
        title: zh ? "三、本周转为黄色、红色预警的件" : "3. Items that turned amber or red this week",
        headers: zh
          ? ["预警", "承办单位", "编号", "事由", "时限", "到期", "周初"]
          : ["Warning", "Unit", "Ref", "Subject", "Clock", "Due", "At the start"],
        rows: warnings, firstNumeric: 7),
    ]
  }

  func table() -> String {
    var out = title + "\n"
    for section in sections {
      var table = TextTable(
        headers: section.headers,
        alignments: section.headers.indices.map { $0 >= section.firstNumeric ? .right : .left })
      for row in section.rows { table.append(row) }
      out += "\n" + section.title + "\n" + (section.rows.isEmpty ? (zh ? "无\n" : "none\n") : table.render())
    }
    return out
  }

  func csv() -> String {
    var lines = [[title]]
    for section in sections { lines += [[], [section.title], section.headers] + section.rows }
    return Spreadsheet.csvText(lines)
  }

  func markdown() -> String {
    func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
    var out = "# \(title)\n"
    for section in sections {
      out += "\n## \(section.title)\n\n"
      guard !section.rows.isEmpty else {
        out += zh ? "无\n" : "None.\n"
        continue
      }
      out += "| " + section.headers.map(cell).joined(separator: " | ") + " |\n"
      out +=
        "|"
        + section.headers.indices.map { $0 >= section.firstNumeric ? " ---: " : " --- " }.joined(
          separator: "|") + "|\n"
      for row in section.rows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
    }
    return out
  }

  func html() -> String {
    let body = sections.map { section in
      let head = section.headers.map { "<th>\(ReportDocument.escape($0))</th>" }.joined()
      let rows = section.rows.map { row in
        "<tr>"
          + row.enumerated().map { index, value in
            "<td\(index >= section.firstNumeric ? " class=\"n\"" : "")>\(ReportDocument.escape(value))</td>"
          }.joined() + "</tr>"
      }.joined(separator: "\n")
      let table =
        section.rows.isEmpty
        ? "<p>\(zh ? "无" : "None.")</p>"
        : "<table><thead><tr>\(head)</tr></thead><tbody>\n\(rows)\n</tbody></table>"
      return "<h2>\(ReportDocument.escape(section.title))</h2>\n\(table)"
    }.joined(separator: "\n")
    return """
      <!DOCTYPE html>
      <html lang="\(zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(ReportDocument.escape(title))</title>
      <style>
      @page { size: A4; margin: 15mm; }
      body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 180mm; }
      h1 { font-size: 15pt; } h2 { font-size: 12pt; margin-top: 16px; }
      table { border-collapse: collapse; width: 100%; font-size: 9pt; }
      th, td { border: 1px solid #999; padding: 3px 5px; text-align: left; }
      th { background: #eef; } td.n { text-align: right; }
      tr { page-break-inside: avoid; }
      </style></head><body>
      <h1>\(ReportDocument.escape(title))</h1>
      \(body)
      </body></html>

      """
  }

  func json() -> JSONValue {
    .object([
      ("from", .time(bulletin.from)), ("to", .time(bulletin.to)), ("timezone", .string(bulletin.timeZone)),
      (
        "intake",
        .array(
          bulletin.intake.map { row in
            .object([
              ("channel", .string(row.channel.rawValue)), ("kind", .string(row.kind.rawValue)),
              ("received", .number(Int64(row.received))), ("duplicates", .number(Int64(row.duplicates))),
            ])
          })
      ),
      (
        "closures",
        .array(
          bulletin.closures.map { .object([("unit", .text($0.unit)), ("closed", .number(Int64($0.count)))]) })
      ),
      (
        "warnings",
        .array(
          bulletin.warnings.map { change in
            .object([
              ("ref", .string(change.item.ref)), ("subject", .string(change.item.subject)),
              ("unit", .text(change.item.unitName)), ("clock", .string(change.clock.clock.rawValue)),
              ("due", .string(change.clock.due.description)),
              ("provisional", .bool(change.clock.provisional)),
              ("warning", .string(change.clock.warning.rawValue)),
              ("before", .string(change.before.rawValue)),
            ])
          })
      ),
    ])
  }
}
