import ArgumentParser
import DocketService
import Foundation

struct ExportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export", abstract: "The ledger out again, for Excel or another system.",
    subcommands: [Items.self])
}

extension ExportCommand {
  struct Items: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Matching items in the handover list's column layout; the reporter shows as 实名/匿名 only.")
    @OptionGroup var filter: LedgerFilterOptions
    @Option(help: "csv (UTF-8 with BOM, for Excel), xlsx or json.") var format: ExportFormat = .csv
    @Option(help: "Write to this file (needed for xlsx; default standard output).") var out: String?
    @Flag(
      help:
        "Add the reporters' identities (leaders only, on their own database role; each item's disclosure is journaled)."
    )
    var withIdentity = false
    @Option(help: "Why the identities are needed (required with --with-identity).") var reason: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var custodians: CustodianOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
      if format == .xlsx && out == nil { throw ValidationError("An xlsx export needs --out FILE.") }
      if withIdentity && reason == nil {
        throw ValidationError("An export with identities needs --reason, which is journaled.")
      }
    }

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let items = try docket.list(try filter.query(docket), actor: actor.actor)
      var identities: [Int64: ReporterIdentity]?
      if withIdentity {
        let given = try custodians.custodians(docket, actor: actor.actor, act: "export identities")
        identities = try docket.revealForExport(
          items, reason: reason ?? "", custodians: given, actor: actor.actor)
      }
      let json = { (item: Item) -> JSONValue in
        guard let identities, case .object(var fields) = itemJSON(item) else { return itemJSON(item) }
        fields.append(("reporter_identity", identities[item.id].map(identityJSON) ?? .null))
        return .object(fields)
      }
      let bytes: [UInt8]
      switch format {
      case .json:
        if out == nil { return JSONValue.printArray(items.lazy.map(json), to: .standardOutput) }
        bytes = Array(JSONValue.array(items.map(json)).render().utf8)
      case .csv, .xlsx:
        let sheet: Spreadsheet = format == .csv ? .csv : .xlsx
        bytes = try sheet.document(
          exportRows(items, time: docket.office.time, identities: identities), sheetName: "台账")
      }
      guard let out else { return FileHandle.standardOutput.write(Data(bytes)) }
      guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
        throw .invalid("\(out) cannot be written; give a path in a writable folder.")
      }
      write("Exported \(items.count) item(s) to \(out).\n")
    }
  }
}

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
  case csv, xlsx, json
}

/// The handover list's headers (so a person reads an export as they read a list) and, the
/// reporter aside, the same fields: the reporter shows as 实名/匿名 only, unless a leader asked for
/// `identities` (whose columns then follow, named as a handover list names them).
func exportRows(_ items: [Item], time: OfficeTime, identities: [Int64: ReporterIdentity]? = nil) -> [[String]]
{
  var header = [
    "案件编号", "序号", "来信日期", "事由", "内容摘要", "种类", "来源", "渠道", "问题类别", "实名/匿名", "被反映人", "单位", "职务", "状态",
    "承办单位",
  ]
  if identities != nil { header += ["反映人", "联系电话", "电子邮箱", "通讯地址", "身份证号"] }
  return [header]
    + items.map { item in
      let identity = identities.map { $0[item.id] ?? ReporterIdentity() }
      let identityCells = identity.map {
        [$0.name ?? "", $0.phone ?? "", $0.email ?? "", $0.address ?? "", $0.idNumber ?? ""]
      }
      return [
        item.ref, item.channelDetails["list_number"] ?? "", time.minuteString(item.receivedAt), item.subject,
        item.summary, item.kind.chinese, item.source.chinese, item.channel.chinese, item.category ?? "",
        item.reporterKind.chinese, item.accused.map(\.name).joined(separator: "、"),
        item.accused.map { $0.unitName ?? "" }.joined(separator: "、"),
        item.accused.map { $0.rank ?? "" }.joined(separator: "、"), item.state.chinese, item.unitName ?? "",
      ] + (identityCells ?? [])
    }
}
