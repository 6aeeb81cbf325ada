import DocketService
import Foundation

/// The ledger as a terminal table; the reporter appears only as 实名/匿名.
func itemTable(_ items: [Item], office: OfficeTime, language: Language) -> String {
  let zh = language == .chinese
  var table = TextTable(
    headers: zh
      ? ["编号", "收件时间", "种类", "来源", "渠道", "状态", "承办单位", "反映人", "事由"]
      : ["Ref", "Received", "Kind", "Source", "Channel", "State", "Unit", "Reporter", "Subject"])
  for item in items {
    table.append([
      item.ref, office.minuteString(item.receivedAt), item.kind.label(language), item.source.label(language),
      item.channel.label(language), item.state.label(language), item.unitName ?? "—",
      item.reporterKind.label(language), item.subject,
    ])
  }
  return table.render() + (zh ? "共 \(items.count) 件\n" : "\(items.count) item(s)\n")
}

/// One item and its journal, as `docket show` prints it.
func itemDetail(_ history: ItemHistory, office: OfficeTime, language: Language) -> String {
  let item = history.item
  let zh = language == .chinese
  var lines: [(String, String)] = [
    (zh ? "编号" : "Ref", item.ref),
    (zh ? "事由" : "Subject", item.subject),
    (zh ? "种类" : "Kind", item.kind.label(language)),
    (zh ? "来源" : "Source", item.source.label(language)),
    (zh ? "渠道" : "Channel", item.channel.label(language)),
    (zh ? "收件时间" : "Received", office.minuteString(item.receivedAt)),
    (zh ? "反映人" : "Reporter", item.reporterKind.label(language)),
    (zh ? "状态" : "State", "\(item.state.label(language)) (\(office.minuteString(item.stateSince)))"),
  ]
  if let category = item.category { lines.append((zh ? "问题类别" : "Category", category)) }
  for person in item.accused {
    let detail = [person.unitName, person.rank].compactMap { $0 }.joined(separator: " ")
    lines.append((zh ? "被反映人" : "Accused", detail.isEmpty ? person.name : "\(person.name)（\(detail)）"))
  }
  if let unit = item.unitName { lines.append((zh ? "承办单位" : "Unit", unit)) }
  if let handler = item.handlerLogin { lines.append((zh ? "承办人" : "Handler", handler)) }
  if let original = item.duplicateOfRef { lines.append((zh ? "重复于" : "Duplicate of", original)) }
  if let body = item.forwardedTo { lines.append((zh ? "转送至" : "Forwarded to", body)) }
  if let disposal = item.disposal {
    let approval = item.disposalApproved ? (zh ? "已批准" : "approved") : (zh ? "待批准" : "awaiting approval")
    lines.append((zh ? "处置方式" : "Disposal", "\(disposal.label(language))（\(approval)）"))
  }
  if let finding = item.finding {
    lines.append(
      (
        zh ? "办理结论" : "Finding",
        finding.label(language) + (item.falseAccusation ? (zh ? "；诬告陷害" : "; false accusation") : "")
      ))
  }
  if let until = item.holdUntil { lines.append((zh ? "暂存至" : "Held until", until)) }
  for (key, value) in item.channelDetails.sorted(by: { $0.key < $1.key }) { lines.append((key, value)) }
  lines.append((zh ? "版本" : "Version", String(item.version)))
  let width = lines.map { DisplayWidth.of($0.0) }.max() ?? 0
  var out = lines.map { label, value in
    label + String(repeating: " ", count: width - DisplayWidth.of(label)) + "  " + value
  }.joined(separator: "\n")
  if !item.summary.isEmpty { out += "\n\n" + item.summary }
  if !history.attachments.isEmpty {
    var files = TextTable(
      headers: zh ? ["附件", "类型", "字节", "SHA-256"] : ["Attachment", "Type", "Bytes", "SHA-256"],
      alignments: [.left, .left, .right, .left])
    for file in history.attachments {
      files.append([
        file.filename ?? "—", file.contentType, String(file.size), String(file.sha256.prefix(16)),
      ])
    }
    out += "\n\n" + files.render()
  }
  if !history.clocks.isEmpty {
    var clocks = TextTable(
      headers: zh ? ["时限", "起算", "到期", "停止", "预警"] : ["Clock", "Started", "Due", "Stopped", "Warning"])
    for clock in history.clocks {
      clocks.append([
        clock.clock.label(language), office.minuteString(clock.startedAt),
        clock.dueLabel(language), clock.stoppedAt.map(office.minuteString) ?? "—",
        clock.stoppedAt == nil ? clock.warning.label(language) : "—",
      ])
    }
    out += "\n\n" + clocks.render()
  }
  out += "\n" + journalTable(history.events, office: office, language: language, showRef: false)
  return out
}

func journalTable(_ events: [JournalEntry], office: OfficeTime, language: Language, showRef: Bool) -> String {
  let zh = language == .chinese
  var headers =
    zh
    ? ["序号", "生效时间", "记录时间", "操作人", "事件", "内容"]
    : ["Seq", "Effective", "Recorded", "Actor", "Event", "Details"]
  if showRef { headers.insert(zh ? "编号" : "Ref", at: 1) }
  var table = TextTable(headers: headers)
  table.maximumCellWidth = 60
  for event in events {
    let details = eventDetails(event)
    var row = [
      String(event.seq), office.minuteString(event.effectiveAt), office.minuteString(event.recordedAt),
      event.actor,
      eventLabel(event.event, language),
      details.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }.joined(separator: " "),
    ]
    if showRef { row.insert(event.itemRef ?? "—", at: 1) }
    table.append(row)
  }
  return table.render()
}

func eventLabel(_ event: String, _ language: Language) -> String {
  if let move = Move(rawValue: event) { return move.label(language) }
  guard language == .chinese else { return event.replacingOccurrences(of: "_", with: " ") }
  switch event {
  case "registered": return "登记"
  case "identity_revealed": return "查看身份"
  case "staff_added": return "新增人员"
  case "unit_added": return "新增单位"
  case "setting_changed": return "修改设置"
  default: return event
  }
}
