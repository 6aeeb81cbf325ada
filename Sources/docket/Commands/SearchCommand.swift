import ArgumentParser
import DocketCore
import DocketService
import Foundation

struct Search: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "Full-text search (全文检索) over items and rectification measures, best first.",
    discussion: """
      Terms must all be there; "quoted phrases" are matched as written, -term must not be. One- \
      and two-character Chinese terms (红包, 砂), Latin words, numbers and reference numbers work, \
      full- and half-width alike. Searched: subjects, summaries, email replies, notes, accused \
      persons' names and units, measures' text; never a reporter's identity.
      """)
  @Argument(help: "The query: terms, \"phrases\", -excluded.") var query: [String]
  @Option(help: "Only this kind of item, or 'measure' for rectification measures.") var kind: String?
  @Option(help: "Only in this state (an item's or a measure's).") var state: String?
  @Option(help: "Only this unit's (assigned, or responsible for a measure).") var unit: String?
  @Option(help: "Received (or planned) on or after this day.") var from: String?
  @Option(help: "Received (or planned) on or before this day.") var to: String?
  @Option(help: "At most this many results (default 20).") var limit = 20
  @OptionGroup var actor: ActorOptions
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print JSON.") var json = false

  func execute() throws(DocketError) {
    let docket = try connection.open()
    var request = SearchRequest(query.joined(separator: " "))
    (request.kind, request.state, request.unit, request.limit) = (kind, state, unit, limit)
    request.from = try docket.day(from, option: "--from")
    request.to = try docket.day(to, option: "--to")
    let results = try docket.search(request, actor: actor.actor)
    let time = docket.office.time
    if json {
      return write(
        JSONValue.object([
          (
            "hits",
            .array(
              results.hits.map { hit in
                .object([
                  ("at", .time(hit.at)), ("kind", .string(hit.kind?.rawValue ?? hit.what.rawValue)),
                  ("rank", .decimal(hit.rank)), ("ref", .string(hit.ref)), ("snippet", .string(hit.snippet)),
                  ("state", .string(hit.state)), ("title", .string(hit.title)), ("unit", .text(hit.unit)),
                  ("what", .string(hit.what.rawValue)),
                ])
              })
          ),
          ("total", .number(Int64(results.total))),
        ]))
    }
    guard !results.hits.isEmpty else { return write("Nothing found.\n") }
    var table = TextTable(headers: ["编号", "种类", "状态", "单位", "日期", "摘录"])
    for hit in results.hits {
      table.append([
        hit.ref, hit.kind?.chinese ?? "整改措施",
        ItemState(rawValue: hit.state)?.chinese ?? MeasureState(rawValue: hit.state)?.chinese ?? hit.state,
        hit.unit ?? "—", time.dayString(hit.at), hit.snippet,
      ])
    }
    var out = table.render()
    if results.total > results.hits.count {
      out += "\(results.hits.count) of \(results.total) shown; narrow the query or raise --limit.\n"
    }
    write(out)
  }
}
