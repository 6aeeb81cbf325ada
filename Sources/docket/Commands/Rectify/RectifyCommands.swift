import ArgumentParser
import DocketService
import Foundation

struct RectifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rectify",
    abstract: "The rectification ledger (整改台账): rounds, their plans' measures, responsible units.",
    subcommands: [
      Round.self, Import.self, List.self, Show.self, Claim.self, Progress.self, Complete.self, SignOff.self,
      Reopen.self, Milestone.self, Link.self, Evidence.self, Board.self, Letters.self, Dispatch.self,
      Report.self,
    ])

  struct Round: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Rounds of rectification, one per inspection's feedback.", subcommands: [Add.self])

    struct Add: DocketCommand {
      static let configuration = CommandConfiguration(abstract: "Add a round; prints its id.")
      @Argument(help: "The round's name, e.g. 落实省委第四巡视组反馈意见整改.") var name: String
      @Option(help: "The inspection team, e.g. 省委第四巡视组.") var team: String
      @Option(help: "When the team gave its feedback (2021-06-28).") var feedbackDate: String
      @Option(help: "When the rectification report is due.") var reportDue: String?
      @OptionGroup var actor: ActorOptions
      @OptionGroup var connection: ConnectionOptions

      func execute() throws(DocketError) {
        let round = try connection.open().addRound(
          name: name, team: team, feedbackDate: feedbackDate, reportDue: reportDue, actor: actor.actor)
        write("\(round.id)\n")
      }
    }
  }

  struct Import: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import a round's plan (整改任务清单) from XLSX or CSV, all or nothing.",
      discussion: """
        Headers, Chinese or English, in any order: 序号/number, 方面/aspect, 问题/problem, 整改措施/measure, \
        牵头领导/lead, 责任单位/units, 完成时限/due, 目标/target. The header row is found within the first \
        ten rows (below a title block); a two-row header is read as one. A blank 方面 or 问题 continues \
        the one above.
        """)
    @Argument(help: "The plan: .xlsx or .csv (UTF-8 with or without BOM, or GB18030).") var file: String
    @Option(help: "The round's id, from 'docket rectify round add'.") var round: Int
    @Option(help: "For a CSV: utf-8 or gb18030 (default: detected).") var encoding: String?
    @Option(help: "When the plan was adopted (default now): an import dated in the past is history.") var at:
      String?
    @Flag(help: "Check everything and write nothing.") var dryRun = false
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      guard let data = FileManager.default.contents(atPath: file) else {
        throw .invalid("\(file) cannot be read; check the path and that you may read it.")
      }
      var request = PlanRequest(
        fileName: URL(fileURLWithPath: file).lastPathComponent, bytes: Array(data), round: round)
      request.dryRun = dryRun
      request.encoding = encoding
      let docket = try connection.open()
      request.at = try docket.time(at, option: "--at")
      let result = try docket.importPlan(request, actor: actor.actor)
      if json {
        return write(
          JSONValue.object([
            ("aspects", .number(Int64(result.aspects))), ("dry_run", .bool(result.dryRun)),
            ("header_row", .number(Int64(result.headerRow))), ("measures", .number(Int64(result.measures))),
            ("problems", .number(Int64(result.problems))), ("round", .number(Int64(result.round))),
          ]))
      }
      write(
        "\(result.dryRun ? "Would load" : "Loaded") \(result.aspects) aspect(s), \(result.problems) problem(s) and \(result.measures) measure(s) into round \(result.round) (header: row \(result.headerRow)).\n"
      )
    }
  }

  struct List: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "The measures, by round and number.")
    @Option(help: "Only this round's.") var round: Int?
    @Option(help: "Only those this unit is responsible for.") var unit: String?
    @Option(help: "planned, in_progress, completed, signed_off, reopened.") var state: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      var wanted: MeasureState?
      if let state {
        do { wanted = try MeasureState.parsing(state, field: "--state") } catch {
          throw .invalid(error.description)
        }
      }
      let measures = try docket.measures(round: round, unit: unit, state: wanted, actor: actor.actor)
      if json { return write(JSONValue.array(measures.map(measureJSON))) }
      var table = TextTable(headers: ["编号", "整改措施", "牵头领导", "责任单位", "完成时限", "状态"])
      for measure in measures {
        let due =
          switch measure.category {
          case .immediate: "立行立改"
          case .longTerm: "长期坚持"
          case .deadline(let date): date.description
          }
        table.append([
          measure.ref, String(measure.text.prefix(30)), measure.leadName,
          measure.units.joined(separator: "、"), due,
          measure.state.chinese,
        ])
      }
      write(table.render())
    }
  }
}

func measureJSON(_ measure: MeasureSummary) -> JSONValue {
  let due: JSONValue = measure.category.due.map { .string($0.description) } ?? .null
  let target: JSONValue = measure.target.map { .decimal($0.value) } ?? .null
  let targetUnit: JSONValue = .text(measure.target?.unit)
  let units: JSONValue = .array(measure.units.map(JSONValue.string))
  return .object([
    ("aspect", .string(measure.aspect)), ("category", .string(measure.category.rawValue)), ("due", due),
    ("lead", .string(measure.leadLogin)), ("number", .number(Int64(measure.number))),
    ("problem", .string(measure.problem)), ("ref", .string(measure.ref)),
    ("round", .number(Int64(measure.roundID))),
    ("state", .string(measure.state.rawValue)), ("target", target), ("target_unit", targetUnit),
    ("text", .string(measure.text)), ("units", units),
  ])
}
