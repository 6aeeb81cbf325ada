import ArgumentParser
import DocketService
import Foundation

extension RectifyCommand {
  struct Show: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "One measure: its plan, state, warning, live figure, history and evidence.")
    @Argument(help: "The measure's reference, ROUND-NUMBER (e.g. 1-12).") var ref: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let detail = try docket.measureDetail(ref, actor: actor.actor)
      let s = detail.snapshot
      let time = docket.office.time
      if json {
        let entries: [JSONValue] = detail.entries.map { e in
          .object([
            ("actor", .string(e.actor)), ("at", .time(e.effectiveAt)),
            ("done", e.done.map { .decimal($0) } ?? .null),
            ("evidence", .array(e.evidence.map(JSONValue.string))), ("kind", .string(e.kind.rawValue)),
            ("milestone_on", .text(e.milestoneOn?.description)), ("note", .text(e.note)),
            ("state", .string(e.state.rawValue)), ("unit", .text(e.unit)),
          ])
        }
        guard case .object(var fields) = measureJSON(s.measure) else { return }
        fields += [
          ("claimed", .bool(s.standing.claimed)), ("due_day", .text(s.standing.due?.description)),
          ("entries", .array(entries)), ("lagging", .bool(s.standing.lagging)),
          ("link", .text(s.link?.description)),
          ("missed_milestone", .text(s.standing.missedMilestone?.day.description)),
          ("linked_closed", s.figure.map { .number(Int64($0.closed)) } ?? .null),
          ("linked_total", s.figure.map { .number(Int64($0.total)) } ?? .null),
          ("warning", .string(s.standing.warning.rawValue)),
        ]
        return write(JSONValue.object(fields.sorted { $0.0 < $1.0 }))
      }
      var out = "\(s.measure.ref)  \(s.measure.text)\n"
      out += "方面：\(s.measure.aspect)\n问题：\(s.measure.problem)\n"
      out +=
        "牵头领导：\(s.measure.leadName)（\(s.measure.leadLogin)）  责任单位：\(s.measure.units.joined(separator: "、"))\n"
      out += "完成时限：\(MeasureText.due(s))  状态：\(s.measure.state.chinese)  预警：\(s.standing.warning.chinese)"
      if s.standing.workingDaysOverdue > 0 { out += "（逾期 \(s.standing.workingDaysOverdue) 个工作日）" }
      out += "\n"
      if s.standing.missedMilestone != nil { out += MeasureText.missed(s) + "\n" }
      if s.standing.claimed { out += "书记领办\n" }
      if let target = s.measure.target { out += "目标：\(target.description)\n" }
      let figure = RectificationDocument.figure(s)
      if !figure.isEmpty { out += "当前：\(figure)\(s.link.map { "（案件台账 \($0.description)）" } ?? "")\n" }
      var table = TextTable(headers: ["时间", "事项", "经办", "单位", "数量", "说明"])
      for e in detail.entries {
        table.append([
          time.minuteString(e.effectiveAt), e.kind.chinese, e.actor, e.unit ?? "",
          e.done.map(MeasureTarget.format) ?? "",
          (e.milestoneOn.map { "节点 \($0)：" } ?? "") + (e.note ?? "")
            + (e.evidence.isEmpty ? "" : "（附件：\(e.evidence.joined(separator: "、"))）"),
        ])
      }
      out += "\n" + table.render()
      if !detail.evidence.isEmpty {
        out += "\n佐证材料（docket rectify evidence \(s.measure.ref) N）：\n"
        for file in detail.evidence {
          out += "  \(file.id)  \(file.fileName)  \(file.contentType)  \(file.size) B\n"
        }
      }
      write(out)
    }
  }

  struct Board: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Measures lagging or near their due day (blue, amber, red), by unit and by lead leader.")
    @Option(help: "Only this round's.") var round: Int?
    @Option(help: "Judge warnings as of this time (default now).") var asOf: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let board = try docket.measureBoard(
        round: round, asOf: try docket.time(asOf, option: "--as-of"), actor: actor.actor)
      func line(_ s: MeasureSnapshot) -> JSONValue {
        .object([
          ("due", .text(s.standing.due?.description)), ("lagging", .bool(s.standing.lagging)),
          ("missed_milestone", .text(s.standing.missedMilestone?.day.description)),
          ("ref", .string(s.measure.ref)), ("state", .string(s.standing.state?.rawValue ?? "")),
          ("warning", .string(s.standing.warning.rawValue)),
          ("working_days_overdue", .number(Int64(s.standing.workingDaysOverdue))),
        ])
      }
      if json {
        return write(
          JSONValue.object([
            ("as_of", .time(board.asOf)),
            (
              "by_lead",
              .array(
                board.byLead.map {
                  .object([("lead", .string($0.lead)), ("measures", .array($0.measures.map(line)))])
                })
            ),
            (
              "by_unit",
              .array(
                board.byUnit.map {
                  .object([("measures", .array($0.measures.map(line))), ("unit", .string($0.unit))])
                })
            ),
          ]))
      }
      func table(_ groups: [(String, [MeasureSnapshot])], _ heading: String) -> String {
        var table = TextTable(headers: [heading, "编号", "整改措施", "完成时限", "状态", "预警", "逾期工作日"])
        for (name, measures) in groups {
          for s in measures {
            table.append([
              name, s.measure.ref, String(s.measure.text.prefix(24)),
              MeasureText.due(s) + (s.standing.missedMilestone == nil ? "" : "，" + MeasureText.missed(s)),
              s.standing.state?.chinese ?? "", s.standing.warning.chinese,
              String(s.standing.workingDaysOverdue),
            ])
          }
        }
        return table.render()
      }
      guard !board.byLead.isEmpty else { return write("No measure is lagging or near its due day.\n") }
      write("按责任单位\n" + table(board.byUnit, "责任单位") + "\n按牵头领导\n" + table(board.byLead, "牵头领导"))
    }
  }

  struct Letters: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Issue a 提醒函 or 督办函 to every unit lagging on its measures.",
      discussion: """
        A 督办函 when one of the unit's lagging measures is overdue by supervision_after_working_days, \
        else a 提醒函, unless --kind says. Each letter is numbered, recorded and journaled.
        """)
    @Option(help: "Only this round's.") var round: Int?
    @Option(help: "As of this time (default now).") var asOf: String?
    @Option(help: "reminder (提醒函) or supervision (督办函) for every letter.") var kind: String?
    @Option(help: "Write each letter as Markdown and HTML into this directory.") var out: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      var wanted: RectificationLetter.Kind?
      if let kind {
        guard let parsed = RectificationLetter.Kind(rawValue: kind) else {
          throw .usage("--kind is reminder (提醒函) or supervision (督办函), not '\(kind)'.")
        }
        wanted = parsed
      }
      let docket = try connection.open()
      let letters = try docket.issueRectificationLetters(
        round: round, asOf: try docket.time(asOf, option: "--as-of"), kind: wanted, actor: actor.actor)
      guard !letters.isEmpty else { return write("No unit is lagging; no letter was issued.\n") }
      if let out {
        for path in try RectificationLetterDocument.write(letters, to: out) { write("\(path)\n") }
      } else {
        for letter in letters { write("\(letter.title)  \(letter.unit)  \(letter.measures.count) 项\n") }
      }
    }
  }

  struct Dispatch: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "The weekly dispatch sheet (每周调度): every lagging measure and what changed, by lead leader.")
    @Option(help: "Only this round's.") var round: Int?
    @Option(help: "As of this time (default now); the week before it is covered.") var asOf: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let sheet = try docket.dispatchSheet(
        round: round, asOf: try docket.time(asOf, option: "--as-of"), actor: actor.actor)
      let time = docket.office.time
      func changes(_ line: DispatchSheet.Line) -> String {
        line.changes.isEmpty
          ? "本周无进展"
          : line.changes.map {
            "\(time.dayString($0.effectiveAt)) \($0.kind.chinese)\($0.note.map { "：\($0)" } ?? "")"
          }
          .joined(separator: "；")
      }
      if json {
        return write(
          JSONValue.object([
            ("as_of", .time(sheet.asOf)),
            (
              "by_lead",
              .array(
                sheet.byLead.map { group in
                  .object([
                    ("lead", .string(group.lead)),
                    (
                      "measures",
                      .array(
                        group.lines.map { line in
                          .object([
                            ("changes", .number(Int64(line.changes.count))),
                            ("ref", .string(line.measure.measure.ref)),
                            ("summary", .string(changes(line))),
                            (
                              "working_days_overdue", .number(Int64(line.measure.standing.workingDaysOverdue))
                            ),
                          ])
                        })
                    ),
                  ])
                })
            ),
            ("since", .time(sheet.since)),
          ]))
      }
      var out = "巡视整改每周调度 \(time.dayString(sheet.since)) — \(time.dayString(sheet.asOf))\n"
      var table = TextTable(headers: ["牵头领导", "编号", "整改措施", "责任单位", "逾期工作日", "本周变化"])
      for group in sheet.byLead {
        for line in group.lines {
          let s = line.measure
          table.append([
            group.lead, s.measure.ref, String(s.measure.text.prefix(24)),
            s.measure.units.joined(separator: "、"),
            String(s.standing.workingDaysOverdue), changes(line),
          ])
        }
      }
      write(out + (sheet.byLead.isEmpty ? "No measure is lagging.\n" : table.render()))
      out = ""
    }
  }

  struct Report: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "A round's progress report as of a time; --public writes the public report's draft.",
      discussion: """
        Totals (measures, signed off, completed awaiting sign-off, in progress, overdue, long-term), by \
        aspect, lead leader and responsible unit, and the quantified targets with their current figures; \
        entries count by their effective time, linked figures are counted from the case ledger then.
        """)
    @Option(help: "The round's id.") var round: Int
    @Option(help: "As of this time (default now).") var asOf: String?
    @Option(help: "md, html, csv, xlsx or json.") var format: String = "md"
    @Flag(help: "The public progress report's draft (md or html), shaped like the published one.")
    var `public` = false
    @Option(help: "Write to this file (an xlsx needs one).") var out: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let formats = `public` ? ["md", "html"] : ["md", "html", "csv", "xlsx", "json"]
      guard formats.contains(format) else {
        throw .usage(
          "--format is \(formats.joined(separator: ", "))\(`public` ? " for --public" : ""), not '\(format)'."
        )
      }
      guard format != "xlsx" || out != nil else { throw .usage("An xlsx report needs --out FILE.") }
      let docket = try connection.open()
      let report = try docket.progressReport(
        round: round, asOf: try docket.time(asOf, option: "--as-of"), actor: actor.actor)
      var document = RectificationDocument(report: report)
      if `public` { document.contacts = try docket.feedbackContacts(actor: actor.actor) }
      let bytes: [UInt8]
      switch (format, `public`) {
      case ("md", true): bytes = Array(document.publicMarkdown().utf8)
      case ("html", true): bytes = Array(document.publicHTML().utf8)
      case ("html", _): bytes = Array(document.html().utf8)
      case ("csv", _): bytes = try Spreadsheet.csv.document(document.rows)
      case ("xlsx", _): bytes = try Spreadsheet.xlsx.document(document.rows, sheetName: "整改进展")
      case ("json", _): bytes = Array(document.json().render().utf8)
      default: bytes = Array(document.markdown().utf8)
      }
      guard let out else { return write(String(decoding: bytes, as: UTF8.self)) }
      do { try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
        throw .invalid("Cannot write the report to \(out): \(error.localizedDescription)")
      }
    }
  }
}
