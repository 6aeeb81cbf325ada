import ArgumentParser
import DocketService
import Foundation

/// What every change to a measure takes.
struct MeasureArguments: ParsableArguments {
  @Argument(help: "The measure's reference, ROUND-NUMBER (e.g. 1-12).") var ref: String
  @OptionGroup var actor: ActorOptions
  @Option(help: "The effective time (default now); not earlier than the measure's latest entry.") var at:
    String?
  @Option(help: "The version you looked at (from 'docket rectify show'); refused if it changed since.")
  var ifVersion: Int?
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print JSON.") var json = false

  /// Opens docket, makes the change and prints the outcome.
  func run(
    note: String? = nil,
    _ change: (Docket, String, String?, MoveOptions) throws(DocketError) -> MeasureChange
  ) throws(DocketError) {
    let docket = try connection.open()
    let options = MoveOptions(at: try docket.time(at, option: "--at"), expectedVersion: ifVersion, note: note)
    let done = try change(docket, ref, actor.actor, options)
    if json {
      return write(
        JSONValue.object([
          ("awaiting_approval", .bool(done.awaitingApproval)), ("from", .string(done.from.rawValue)),
          ("ref", .string(done.ref)), ("state", .string(done.to.rawValue)),
        ]))
    }
    let waiting =
      done.awaitingApproval ? "; the sign-off waits for the lead leader's approval (--approve)" : ""
    write("\(done.ref): \(done.to.rawValue) (\(done.to.chinese))\(waiting)\n")
  }
}

extension RectifyCommand {
  struct Claim: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "领办: a leader takes personal charge of a measure.")
    @OptionGroup var measure: MeasureArguments
    @Option(help: "A note for the ledger.") var note: String?
    func execute() throws(DocketError) {
      try measure.run(note: note) { d, r, a, o throws(DocketError) in try d.claimMeasure(r, actor: a, o) }
    }
  }

  struct Progress: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "A progress entry (整改进展): what was done, the figure reached, evidence.",
      discussion: "A handler enters progress on the measures their unit is responsible for.")
    @OptionGroup var measure: MeasureArguments
    @Option(help: "What was done.") var note: String
    @Option(help: "The figure reached so far (e.g. 107 of the target 119).") var done: Double?
    @Option(help: "An evidence file (repeatable), kept with the entry.") var evidence: [String] = []
    func execute() throws(DocketError) {
      var files: [EvidenceFile] = []
      for path in evidence {
        guard let data = FileManager.default.contents(atPath: path) else {
          throw .invalid("The evidence file \(path) cannot be read; check the path and that you may read it.")
        }
        files.append(EvidenceFile(fileName: URL(fileURLWithPath: path).lastPathComponent, bytes: Array(data)))
      }
      try measure.run { d, r, a, o throws(DocketError) in
        try d.recordProgress(r, note: note, done: done, evidence: files, actor: a, o)
      }
    }
  }

  struct Complete: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "A measure is done: it waits for the rectification office's sign-off (对账销号).")
    @OptionGroup var measure: MeasureArguments
    @Option(help: "What was done.") var note: String
    func execute() throws(DocketError) {
      try measure.run { d, r, a, o throws(DocketError) in try d.completeMeasure(r, note: note, actor: a, o) }
    }
  }

  struct SignOff: DocketCommand {
    static let configuration = CommandConfiguration(
      commandName: "sign-off",
      abstract: "对账销号: the rectification office records it; the lead leader approves with --approve.")
    @OptionGroup var measure: MeasureArguments
    @Flag(help: "Approve the recorded sign-off (the measure's lead leader).") var approve = false
    @Option(help: "A note for the ledger.") var note: String?
    func execute() throws(DocketError) {
      try measure.run(note: note) { d, r, a, o throws(DocketError) in
        try d.signOffMeasure(r, approve: approve, actor: a, o)
      }
    }
  }

  struct Reopen: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "回头看: a completed or signed-off measure found not done goes back to work.")
    @OptionGroup var measure: MeasureArguments
    @Option(help: "What the look back found.") var reason: String
    func execute() throws(DocketError) {
      try measure.run { d, r, a, o throws(DocketError) in try d.reopenMeasure(r, reason: reason, actor: a, o)
      }
    }
  }

  struct Milestone: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "阶段目标: a milestone on a measure's way, or a long-term measure's review date.",
      discussion: """
        By --by, the figure --done reached; without --done, a progress entry made since the milestone \
        before (a review). A measure behind a milestone is lagging, whatever its due date. Setting a \
        day again replaces its milestone.
        """)
    @OptionGroup var measure: MeasureArguments
    @Option(help: "The milestone's day (YYYY-MM-DD).") var by: String
    @Option(help: "The figure to reach by then.") var done: Double?
    @Option(help: "What the milestone is (e.g. 半年回头看).") var note: String?
    func execute() throws(DocketError) {
      try measure.run(note: note) { d, r, a, o throws(DocketError) in
        guard let day = try d.day(by, option: "--by") else { throw .usage("--by needs a day.") }
        return try d.setMilestone(r, by: day, done: done, actor: a, o)
      }
    }
  }

  struct Link: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Tie a measure to case items: its figure is then counted from the ledger.",
      discussion: """
        One of --batch (a handover batch's number), --items (references) or --filter (key=value words: \
        kind, source, channel, category, unit, batch; e.g. "kind=clue category=涉警问题"). A filter also \
        takes in items registered later. Linking again replaces the link.
        """)
    @OptionGroup var measure: MeasureArguments
    @Option(help: "A handover batch's number.") var batch: Int64?
    @Option(parsing: .upToNextOption, help: "Item references.") var items: [String] = []
    @Option(help: "A filter over the ledger, e.g. \"kind=clue category=涉警问题\".") var filter: String?
    @Option(help: "A note for the ledger.") var note: String?
    func execute() throws(DocketError) {
      let given = [batch != nil, !items.isEmpty, filter != nil].filter { $0 }.count
      guard given == 1 else { throw .usage("Give one of --batch, --items or --filter.") }
      let link: MeasureLink
      if let batch {
        link = .batch(batch)
      } else if let filter {
        do { link = .filter(try CaseFilter.parse(filter)) } catch { throw .invalid(error.description) }
      } else {
        link = .items(items)
      }
      try measure.run(note: note) { d, r, a, o throws(DocketError) in
        try d.linkMeasure(r, to: link, actor: a, o)
      }
    }
  }

  struct Evidence: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "Write a measure's evidence file out.")
    @Argument(help: "The measure's reference, ROUND-NUMBER.") var ref: String
    @Argument(help: "The evidence number, from 'docket rectify show'.") var number: Int64
    @Option(help: "Write it here (default: its own name in the current directory).") var out: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    func execute() throws(DocketError) {
      let file = try connection.open().measureEvidence(ref, evidence: number, actor: actor.actor)
      let path = out ?? file.fileName.replacingOccurrences(of: "/", with: "_")
      guard FileManager.default.createFile(atPath: path, contents: Data(file.bytes)) else {
        throw .invalid("\(path) could not be written.")
      }
      write("\(path)\n")
    }
  }
}
