import DocketService
import Foundation

/// The monthly report laid out once as a table of labelled cells, then written as a terminal
/// table, CSV, Markdown or HTML; JSON is written from the figures themselves.
struct ReportDocument {
  let report: MonthlyReport
  let language: Language

  var zh: Bool { language == .chinese }

  var title: String {
    zh
      ? "\(report.month.year)年\(report.month.month)月信访举报办结情况"
      : "Closure report for \(report.month)"
  }

  /// The heading lines under the title: cohort, time zone, scope.
  var subtitle: [String] {
    let cohort: String
    switch report.cohort {
    case .yearToDate:
      cohort = zh ? "\(report.month.year)年1月1日以来收件" : "received since 1 January \(report.month.year)"
    case .all: cohort = zh ? "全部收件" : "everything received"
    case .since(let day): cohort = zh ? "\(day)以来收件" : "received since \(day)"
    }
    var lines = [
      zh
        ? "统计截至月末（\(report.timeZone)），办结率统计范围：\(cohort)"
        : "As of the end of the month (\(report.timeZone)); closure rate over items \(cohort)"
    ]
    if !report.scopeDescription.isEmpty {
      lines.append((zh ? "范围：" : "Scope: ") + report.scopeDescription.joined(separator: zh ? "、" : ", "))
    }
    return lines
  }

  struct Column: Sendable {
    var zh: String
    var en: String
    var value: @Sendable (MonthlyFigures, YearOverYear) -> String
    /// Whether the cell is a rate under the office's target.
    var belowTarget: @Sendable (MonthlyFigures, Double?) -> Bool = { _, _ in false }
  }

  static func percent(_ value: Double?) -> String {
    guard let value else { return "n/a" }
    return String(format: "%.1f%%", value * 100)
  }

  static func change(_ value: Double?) -> String {
    guard let value else { return "n/a" }
    return String(format: "%+.1f%%", value * 100)
  }

  static let columns: [Column] = [
    Column(zh: "收件", en: "Received", value: { f, _ in String(f.received) }),
    Column(zh: "办结", en: "Closed", value: { f, _ in String(f.closed) }),
    Column(zh: "统计范围收件", en: "Cohort", value: { f, _ in String(f.cohortReceived) }),
    Column(zh: "统计范围办结", en: "Cohort closed", value: { f, _ in String(f.cohortClosed) }),
    Column(
      zh: "办结率", en: "Closure rate", value: { f, _ in percent(f.closureRate) },
      belowTarget: { f, target in
        guard let rate = f.closureRate, let target else { return false }
        return rate < target
      }),
    Column(zh: "按期办结率", en: "On time", value: { f, _ in percent(f.onTimeRate) }),
    Column(zh: "月末在办", en: "Open at end", value: { f, _ in String(f.openAtEnd) }),
    Column(zh: "其中超期", en: "Overdue at end", value: { f, _ in String(f.overdueAtEnd) }),
    Column(zh: "重复件", en: "Duplicates", value: { f, _ in String(f.duplicates) }),
    Column(
      zh: "办结用时中位数(天)", en: "Median days to close",
      value: { f, _ in f.medianDaysToClose.map { String(format: "%.1f", $0) } ?? "n/a" }),
    Column(zh: "收件同比", en: "Received YoY", value: { _, y in change(y.received) }),
    Column(zh: "办结同比", en: "Closed YoY", value: { _, y in change(y.closed) }),
    Column(
      zh: "办结率同比(百分点)", en: "Rate YoY (pp)",
      value: { _, y in y.closureRatePP.map { String(format: "%+.1f", $0) } ?? "n/a" }),
  ]

  var headers: [String] {
    report.dimensions.map { zh ? $0.chinese : $0.rawValue.capitalized }
      + Self.columns.map { zh ? $0.zh : $0.en }
  }

  /// A group's value in one dimension, as a person reads it.
  func label(_ value: String?, _ dimension: ReportDimension) -> String {
    guard let value else {
      return dimension == .unit ? (zh ? "（未交办）" : "(unassigned)") : (zh ? "（未分类）" : "(none)")
    }
    switch dimension {
    case .unit, .category: return value
    case .kind: return Kind(rawValue: value)?.label(language) ?? value
    case .source: return Source(rawValue: value)?.label(language) ?? value
    case .channel: return Channel(rawValue: value)?.label(language) ?? value
    }
  }

  struct Line {
    var cells: [String]
    var marked: [Bool]
  }

  /// One line per group, then the total.
  var lines: [Line] {
    func line(_ key: [String], _ figures: MonthlyFigures, _ yoy: YearOverYear) -> Line {
      Line(
        cells: key + Self.columns.map { $0.value(figures, yoy) },
        marked: key.map { _ in false } + Self.columns.map { $0.belowTarget(figures, report.closureTarget) })
    }
    var out = report.groups.map { group in
      line(
        zip(group.key, report.dimensions).map { label($0, $1) }, group.figures, group.yoy)
    }
    let totalKey = report.dimensions.enumerated().map { index, _ in index == 0 ? (zh ? "合计" : "Total") : "" }
    out.append(line(totalKey, report.totals, report.yoy))
    return out
  }

  var targetNote: String? {
    guard let target = report.closureTarget else { return nil }
    return zh
      ? "* 办结率低于目标 \(Self.percent(target))"
      : "* closure rate below the target of \(Self.percent(target))"
  }

  // MARK: Formats

  func table() -> String {
    var table = TextTable(
      headers: headers,
      alignments: report.dimensions.map { _ in .left } + Self.columns.map { _ in .right })
    for line in lines {
      table.append(zip(line.cells, line.marked).map { $1 ? $0 + "*" : $0 })
    }
    let marked = lines.contains { $0.marked.contains(true) }
    return ([title] + subtitle).joined(separator: "\n") + "\n\n" + table.render()
      + (marked ? (targetNote ?? "") + "\n" : "")
  }

  func csv() -> String { Spreadsheet.csvText([headers] + lines.map(\.cells)) }

  func markdown() -> String {
    func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
    var out = "# \(title)\n\n" + subtitle.map { $0 + "\n" }.joined() + "\n"
    out += "| " + headers.map(cell).joined(separator: " | ") + " |\n"
    out +=
      "|"
      + (report.dimensions.map { _ in " --- " } + Self.columns.map { _ in " ---: " }).joined(separator: "|")
      + "|\n"
    for line in lines {
      out +=
        "| " + zip(line.cells, line.marked).map { cell($1 ? $0 + "*" : $0) }.joined(separator: " | ") + " |\n"
    }
    if lines.contains(where: { $0.marked.contains(true) }), let note = targetNote { out += "\n\(note)\n" }
    return out
  }

  func html() -> String {
    let head = headers.map { "<th>\(Self.escape($0))</th>" }.joined()
    let rows = lines.enumerated().map { index, line in
      let total = index == lines.count - 1 ? " class=\"total\"" : ""
      return "<tr\(total)>"
        + zip(line.cells, line.marked).enumerated().map { column, pair in
          let numeric = column >= report.dimensions.count ? " class=\"n\(pair.1 ? " below" : "")\"" : ""
          return "<td\(numeric)>\(Self.escape(pair.1 ? pair.0 + "*" : pair.0))</td>"
        }.joined() + "</tr>"
    }.joined(separator: "\n")
    let note =
      lines.contains(where: { $0.marked.contains(true) })
      ? targetNote.map { "<p class=\"note\">\(Self.escape($0))</p>" } ?? "" : ""
    return """
      <!DOCTYPE html>
      <html lang="\(zh ? "zh-CN" : "en")"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>
      <style>
      @page { size: A4 landscape; margin: 15mm; }
      body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10pt; color: #111; margin: 0 auto; max-width: 270mm; }
      h1 { font-size: 16pt; margin: 0 0 4px; }
      .sub { color: #444; margin: 0; }
      figure { margin: 12px 0; }
      figcaption { font-size: 9pt; color: #444; }
      table { border-collapse: collapse; width: 100%; font-size: 9pt; page-break-inside: auto; }
      th, td { border: 1px solid #999; padding: 3px 5px; }
      th { background: #eef; }
      td.n { text-align: right; font-variant-numeric: tabular-nums; }
      td.below { color: #b00; font-weight: bold; }
      tr.total td { font-weight: bold; background: #f6f6f6; }
      tr { page-break-inside: avoid; }
      .note { font-size: 9pt; color: #b00; }
      </style></head><body>
      <h1>\(Self.escape(title))</h1>
      \(subtitle.map { "<p class=\"sub\">\(Self.escape($0))</p>" }.joined(separator: "\n"))
      <figure>\(chart())<figcaption>\(zh ? "近12个月收件、办结（柱）与办结率（线）" : "Received and closed (bars) and closure rate (line), last 12 months")</figcaption></figure>
      <table><thead><tr>\(head)</tr></thead><tbody>
      \(rows)
      </tbody></table>
      \(note)
      </body></html>

      """
  }

  static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  // MARK: JSON

  /// The report as JSON; `warnings` lists the years its deadlines reach without a published schedule.
  func json(warnings: [CalendarNotice] = []) -> JSONValue {
    .object([
      ("warnings", warningsJSON(warnings)),
      ("month", .string(report.month.description)), ("timezone", .string(report.timeZone)),
      ("cohort", .string(report.cohort.description)),
      ("by", .array(report.dimensions.map { .string($0.rawValue) })),
      ("totals", Self.figures(report.totals, report.yoy)),
      (
        "groups",
        .array(
          report.groups.map { group in
            var pairs: [(String, JSONValue)] = [
              (
                "key",
                .text(
                  group.key.count == 1 ? group.key[0] : group.key.map { $0 ?? "" }.joined(separator: " / "))
              ),
              (
                "dimensions",
                .object(zip(report.dimensions, group.key).map { ($0.rawValue, JSONValue.text($1)) })
              ),
            ]
            if case .object(let figures) = Self.figures(group.figures, group.yoy) { pairs += figures }
            return .object(pairs)
          })
      ),
      (
        "history",
        .array(
          report.history.map { entry in
            .object([
              ("month", .string(entry.month.description)),
              ("received", .number(Int64(entry.figures.received))),
              ("closed", .number(Int64(entry.figures.closed))),
              ("closure_rate", Self.number(entry.figures.closureRate)),
            ])
          })
      ),
    ])
  }

  static func figures(_ f: MonthlyFigures, _ yoy: YearOverYear) -> JSONValue {
    .object([
      ("received", .number(Int64(f.received))), ("closed", .number(Int64(f.closed))),
      ("cohort_received", .number(Int64(f.cohortReceived))),
      ("cohort_closed", .number(Int64(f.cohortClosed))),
      ("closure_rate", number(f.closureRate)), ("on_time_rate", number(f.onTimeRate)),
      ("open_at_end", .number(Int64(f.openAtEnd))), ("overdue_at_end", .number(Int64(f.overdueAtEnd))),
      ("duplicates", .number(Int64(f.duplicates))), ("median_days_to_close", number(f.medianDaysToClose)),
      (
        "yoy",
        .object([
          ("received", number(yoy.received)), ("closed", number(yoy.closed)),
          ("closure_rate_pp", number(yoy.closureRatePP)),
        ])
      ),
    ])
  }

  /// A fraction rounded to four places (a rate to 0.01%), or null.
  static func number(_ value: Double?) -> JSONValue {
    guard let value else { return .null }
    return .decimal((value * 10_000).rounded() / 10_000)
  }
}
