import ArgumentParser
import DocketService
import Foundation

struct Demo: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Load a scenario modelled on the seed (Leizhou, 2021), print the ledger by kind and state, and end with the November 2021 closure report by ledger."
  )
  @OptionGroup var language: LanguageOption
  @OptionGroup var connection: ConnectionOptions

  func execute() throws(DocketError) {
    let docket = try connection.open()
    let passphraseFile = docket.home.appendingPathComponent("demo-custodian.passphrase")
    let summary = try docket.loadDemo(custodianPassphrase: try Self.demoPassphrase(passphraseFile))
    let zh = language.language == .chinese
    var out =
      summary.loaded
      ? (zh ? "已载入演示数据：\(summary.items) 件。\n" : "Loaded the demo scenario: \(summary.items) items.\n")
      : (zh ? "演示数据已存在，未重复载入。\n" : "The demo scenario is already loaded.\n")
    out +=
      zh
      ? "演示用：办公室密钥的保管人 ld.chen（陈分管）的口令在 \(passphraseFile.path)，仅供演示，切勿用于真实数据。\n\n"
      : "Demo only: the passphrase of the office key's custodian ld.chen is in \(passphraseFile.path); never use it for real data.\n\n"
    let counts = try docket.countsByKindAndState(actor: nil)
    let states = ItemState.allCases.filter { state in counts.contains { $0.state == state } }
    var table = TextTable(
      headers: [zh ? "种类" : "Kind"] + states.map { $0.label(language.language) } + [zh ? "合计" : "Total"],
      alignments: [.left] + states.map { _ in .right } + [.right])
    for kind in Kind.allCases {
      let row = states.map { state in counts.first { $0.kind == kind && $0.state == state }?.count ?? 0 }
      guard row.reduce(0, +) > 0 else { continue }
      table.append([kind.label(language.language)] + row.map(String.init) + [String(row.reduce(0, +))])
    }
    out += (zh ? "台账（按种类和状态）\n" : "Ledger by kind and state\n") + table.render()
    out +=
      "\n"
      + summary.ledgers.map { ledger in
        let rate =
          ledger.total == 0
          ? "n/a" : String(format: "%.1f%%", Double(ledger.closed) * 100 / Double(ledger.total))
        return zh
          ? "\(ledger.name)：\(ledger.total) 件，已办结 \(ledger.closed) 件，办结率 \(rate)\n"
          : "\(ledger.name): \(ledger.total) items, \(ledger.closed) closed, closure rate \(rate)\n"
      }.joined()
    // The main job: the monthly closure-rate report, here for November 2021 by ledger (category).
    var request = MonthlyReportRequest(month: ReportMonth(year: 2021, month: 11)!)
    request.dimensions = [.category]
    let report = try docket.monthlyReport(request, actor: nil)
    out += "\n" + ReportDocument(report: report, language: language.language).table()
    // Then the rectification ledger's round, as of the same day.
    if let round = summary.round {
      let asOf = try docket.time("2021-11-30 23:59", option: "--as-of")
      let progress = try docket.progressReport(round: round, asOf: asOf, actor: nil)
      out += "\n" + RectificationDocument(report: progress).summary()
    }
    write(out)
  }

  /// The demo custodian's passphrase, kept in a 0600 file under $DOCKET_HOME so that the reveal
  /// the README shows can read it with --passphrase-file.
  static func demoPassphrase(_ file: URL) throws(DocketError) -> String {
    if FileManager.default.fileExists(atPath: file.path) { return try PassphraseSource.read(file: file.path) }
    let passphrase = "演示口令 demo only \(UInt32.random(in: 100_000...999_999))"
    try? FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    guard
      FileManager.default.createFile(
        atPath: file.path, contents: Data((passphrase + "\n").utf8), attributes: [.posixPermissions: 0o600])
    else { throw .invalid("The demo passphrase file \(file.path) cannot be written.") }
    return passphrase
  }
}
