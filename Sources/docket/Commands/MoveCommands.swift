import ArgumentParser
import DocketService
import Foundation

/// What every lifecycle move takes.
struct MoveArguments: ParsableArguments {
  @Argument(help: "The item's reference number, e.g. 2021-XF-00251.") var ref: String
  @OptionGroup var actor: ActorOptions
  @Option(help: "The effective time (default now); not earlier than the item's latest event.") var at: String?
  @Option(help: "The version you looked at (from 'docket show'); refused if the item changed since.")
  var ifVersion: Int?
  @Option(help: "A note for the journal.") var note: String?
  @OptionGroup var connection: ConnectionOptions
  @Flag(help: "Print the item as JSON.") var json = false

  /// Opens docket, makes the move and prints the outcome.
  func run(_ move: (Docket, String, String?, MoveOptions) throws(DocketError) -> Item) throws(DocketError) {
    let docket = try connection.open()
    let options = MoveOptions(at: try docket.time(at, option: "--at"), expectedVersion: ifVersion, note: note)
    let item = try move(docket, ref, actor.actor, options)
    if json {
      write(itemJSON(item))
    } else {
      write("\(item.ref): \(item.state.rawValue) (\(item.state.chinese)), version \(item.version)\n")
    }
  }
}

struct Accept: DocketCommand {
  static let configuration = CommandConfiguration(abstract: "受理: accept a registered item.")
  @OptionGroup var move: MoveArguments
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.accept(r, actor: a, o) }
  }
}

struct NotAccept: DocketCommand {
  static let configuration = CommandConfiguration(
    commandName: "not-accept", abstract: "不予受理: refuse an item, with the reason.")
  @OptionGroup var move: MoveArguments
  @Option(help: "Why it is not accepted.") var reason: String
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.notAccept(r, reason: reason, actor: a, o) }
  }
}

struct MarkDuplicate: DocketCommand {
  static let configuration = CommandConfiguration(
    commandName: "duplicate", abstract: "重复件: link to the original item.")
  @OptionGroup var move: MoveArguments
  @Option(help: "The original item's reference number.") var of: String
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.markDuplicate(r, of: of, actor: a, o) }
  }
}

struct Forward: DocketCommand {
  static let configuration = CommandConfiguration(abstract: "转送: send to the competent body.")
  @OptionGroup var move: MoveArguments
  @Option(help: "The body it goes to.") var to: String
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.forward(r, to: to, actor: a, o) }
  }
}

struct Assign: DocketCommand {
  static let configuration = CommandConfiguration(abstract: "交办: assign to a responsible unit (and handler).")
  @OptionGroup var move: MoveArguments
  @Option(help: "The responsible unit.") var unit: String
  @Option(help: "The handler's login.") var handler: String?
  @Option(help: "A leader's reason to assign to an accused person's own unit.") var overrideReason: String?
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in
      try d.assign(r, unit: unit, handler: handler, overrideReason: overrideReason, actor: a, o)
    }
  }
}

struct Start: DocketCommand {
  static let configuration = CommandConfiguration(abstract: "开始办理: start handling an assigned item.")
  @OptionGroup var move: MoveArguments
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.start(r, actor: a, o) }
  }
}

struct Dispose: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "线索处置: record (handler) or approve (leader) how a clue is disposed of.")
  @OptionGroup var move: MoveArguments
  @Option(help: "talk-inquiry, preliminary-verification, hold, close-off, file-case.") var method: Disposal?
  @Flag(help: "Approve the recorded disposal (leaders).") var approve = false
  @Option(help: "Review date, for the disposal hold.") var until: String?
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in
      try d.dispose(r, disposal: method, approve: approve, until: until, actor: a, o)
    }
  }
}

struct Hold: DocketCommand {
  static let configuration = CommandConfiguration(abstract: "暂存待查: put on hold until a review date.")
  @OptionGroup var move: MoveArguments
  @Option(help: "The review date.") var until: String
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.hold(r, until: until, actor: a, o) }
  }
}

struct Resume: DocketCommand {
  static let configuration = CommandConfiguration(abstract: "恢复办理: resume handling after a hold.")
  @OptionGroup var move: MoveArguments
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.resume(r, actor: a, o) }
  }
}

struct Conclude: DocketCommand {
  static let configuration = CommandConfiguration(abstract: "办结: record the finding.")
  @OptionGroup var move: MoveArguments
  @Option(
    help:
      "substantiated, largely-substantiated, partly-substantiated, unsubstantiated; for petitions support, explain, reject."
  )
  var finding: Finding
  @Flag(help: "A finding of false accusation (诬告陷害); leaders only.") var falseAccusation = false
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in
      try d.conclude(r, finding: finding, falseAccusation: falseAccusation, actor: a, o)
    }
  }
}

struct Close: DocketCommand {
  static let configuration = CommandConfiguration(abstract: "结案: close a concluded item.")
  @OptionGroup var move: MoveArguments
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.close(r, actor: a, o) }
  }
}

struct Reopen: DocketCommand {
  static let configuration = CommandConfiguration(
    abstract: "重新办理: reopen a closed item (objection, new evidence).")
  @OptionGroup var move: MoveArguments
  @Option(help: "Why it is reopened.") var reason: String
  func execute() throws(DocketError) {
    try move.run { d, r, a, o throws(DocketError) in try d.reopen(r, reason: reason, actor: a, o) }
  }
}
