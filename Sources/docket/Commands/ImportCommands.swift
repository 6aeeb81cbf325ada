import ArgumentParser
import DocketService
import Foundation

struct ImportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import", abstract: "Import lists handed over in bulk.", subcommands: [Handover.self])
}

extension ImportCommand {
  struct Handover: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "An inspection team's handover list (移交清单), CSV or XLSX, checked whole before anything is written.",
      discussion: """
        Columns are found by their headers, in Chinese or English: 序号/number, 来信日期/received (required), \
        事由/subject, 内容摘要/summary (required), 种类/kind, 来源/source, 问题类别/category, 反映人/reporter, \
        联系电话/phone, 地址/address, 身份证号/id_number, 邮箱/email, 被反映人/accused, 单位/unit, 职务/rank, \
        备注/note (and the other spellings listed in the README); an office adds its own with \
        'docket config set handover_columns "反映问题=summary; 来信时间=received"'. An error names the file, \
        row and column; nothing is imported unless every row is valid, or with --partial the valid rows are \
        and the others go to --rejects. The same file from the same source on the same day is imported once.
        """)

    @Argument(help: "The list: .csv (UTF-8, UTF-8 with BOM or GB18030) or .xlsx.") var file: String
    @Option(help: "Who handed it over (省委第一巡视组).") var from: String
    @Option(help: "The day it was handed over (default today).") var handoverDate: String?
    @Option(help: "The kind of rows without a 种类 column (信访件 are usually petition).") var kind: Kind?
    @Option(help: "The source (default inspection, 巡视巡察移交).") var source: Source?
    @Option(help: "The CSV's encoding when detection guesses wrong: utf-8 or gb18030.") var encoding: String?
    @Option(help: "The XLSX sheet to read (default the first).") var sheet: String?
    @Flag(help: "Import the valid rows and write the others to --rejects.") var partial = false
    @Option(
      help: "With --partial: a CSV of the rejected rows, each with its problems, to fix and import again.")
    var rejects: String?
    @Flag(help: "Check the whole list and write nothing.") var dryRun = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print the outcome as JSON.") var json = false

    func validate() throws {
      if partial != (rejects != nil) { throw ValidationError("--partial and --rejects FILE go together.") }
    }

    func execute() throws(DocketError) {
      let unreadable = DocketError.invalid("\(file) cannot be read: it does not exist or is not readable.")
      // Read straight into the request, which the import consumes and passed as a temporary, so
      // that nothing here keeps the file's bytes alive once the import has read them.
      func request(_ docket: Docket) throws(DocketError) -> HandoverRequest {
        guard let contents = FileManager.default.contents(atPath: file) else { throw unreadable }
        var request = HandoverRequest(
          fileName: (file as NSString).lastPathComponent, bytes: [UInt8](contents), handedOverBy: from)
        request.encoding = encoding
        request.sheet = sheet
        request.kind = kind
        request.source = source ?? .inspection
        request.partial = partial
        request.dryRun = dryRun
        request.handoverDate = try docket.day(handoverDate, option: "--handover-date")
        return request
      }
      guard FileManager.default.isReadableFile(atPath: file) else { throw unreadable }
      let docket = try connection.open()
      let result = try docket.importHandover(try request(docket), actor: actor.actor)
      if result.headerRow > 1 {
        complain("\(file): took row \(result.headerRow) as the header; the rows above it were not read.")
      }
      if !result.unknownColumns.isEmpty {
        complain(
          "\(file): columns not read (no field has these headers): \(result.unknownColumns.joined(separator: ", "))."
        )
      }
      if let rejects, !result.rejected.isEmpty { try writeRejects(result, to: rejects) }
      if json { return write(handoverJSON(result)) }
      switch result.outcome {
      case .checked:
        write(
          "\(file): \(result.items) row(s) valid\(result.rejected.isEmpty ? "" : ", \(result.rejected.count) rejected"); nothing written (--dry-run).\n"
        )
      case .alreadyImported(let batch, let at):
        write(
          "\(file) was imported before, as batch \(batch) on \(docket.office.time.minuteString(at)); nothing was created.\n"
        )
      case .imported(let batch):
        write(
          "Imported \(result.items) item(s) as batch \(batch): \(result.firstRef ?? "") … \(result.lastRef ?? "")"
            + (result.rejected.isEmpty
              ? "" : "; \(result.rejected.count) row(s) rejected, written to \(rejects ?? "")")
            + ".\n")
      }
    }

    /// The rejected rows as they were, with a last column saying what is wrong: CSV with a BOM, for Excel.
    private func writeRejects(_ result: HandoverResult, to path: String) throws(DocketError) {
      var rows = [result.header + ["问题/problem"]]
      for (cells, problems) in result.rejected {
        let padded = cells + Array(repeating: "", count: max(0, result.header.count - cells.count))
        rows.append(
          padded + [
            problems.map { "column \($0.column) (\($0.header)): \($0.problem)" }.joined(separator: "; ")
          ])
      }
      let data = Data(try Spreadsheet.csv.document(rows))
      guard FileManager.default.createFile(atPath: path, contents: data) else {
        throw .invalid("The rejects file \(path) cannot be written; give a path in a writable folder.")
      }
    }
  }
}

private func handoverJSON(_ result: HandoverResult) -> JSONValue {
  var fields: [(String, JSONValue)] = []
  switch result.outcome {
  case .checked: fields.append(("outcome", .string("checked")))
  case .imported(let batch): fields += [("outcome", .string("imported")), ("batch", .number(batch))]
  case .alreadyImported(let batch, let at):
    fields += [
      ("outcome", .string("already_imported")), ("batch", .number(batch)), ("imported_at", .time(at)),
    ]
  }
  fields += [
    ("header_row", .number(Int64(result.headerRow))), ("items", .number(Int64(result.items))),
    ("first_ref", .text(result.firstRef)),
    ("last_ref", .text(result.lastRef)),
    ("rejected", .number(Int64(result.rejected.count))),
    ("unknown_columns", .array(result.unknownColumns.map(JSONValue.string))),
  ]
  return .object(fields)
}
