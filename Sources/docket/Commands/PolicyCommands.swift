import ArgumentParser
import DocketService
import Foundation

extension DeadlineClock: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}
extension PeriodUnit: ExpressibleByArgument {
  public init?(argument: String) { self.init(parsing: argument) }
  public static var allValueStrings: [String] { valueStrings }
}

struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "The deadline policy: each clock's start, length and unit.",
    subcommands: [Show.self, Set.self])

  struct Show: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "Print the deadline policy.")
    @OptionGroup var actor: ActorOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let rules = try connection.open().deadlinePolicy(actor: actor.actor)
      if json { return write(JSONValue.array(rules.map(ruleJSON))) }
      let zh = language.language == .chinese
      var table = TextTable(
        headers: zh
          ? ["时限", "代码", "起算", "期限", "可延长", "依据"]
          : ["Clock", "Code", "Starts at", "Length", "Extension", "Basis"])
      for rule in rules {
        table.append([
          rule.clock.label(language.language), rule.clock.command, startLabel(rule.startsAt, zh),
          rule.lengthLabel(language.language),
          rule.extensionLabel(language.language) ?? "—",
          rule.basis,
        ])
      }
      write(table.render())
    }

    func startLabel(_ start: ClockStart, _ zh: Bool) -> String {
      switch start {
      case .receipt: zh ? "收件" : "receipt"
      case .acceptance: zh ? "受理" : "acceptance"
      case .closure: zh ? "办结" : "closure"
      }
    }
  }

  struct Set: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Change a clock's length, or the reveal quorum.",
      discussion: """
        'reveal_quorum 2' makes every reveal, export with identities and release need two custodians \
        at once (--with LOGIN): the office key is rotated to one wrapped per pair of custodians. \
        'reveal_quorum 1' goes back to one wrap per custodian. Either asks the passphrases of the \
        custodians who unlock the current key.
        """)
    @Argument(
      help:
        "The clock: forward, acceptance-notice, disposal-proposal, petition-handling, inspection-report, result-feedback; or reveal_quorum."
    )
    var clock: String
    @Argument(help: "The new length (for reveal_quorum: 1 or 2).") var length: Int
    @Option(help: "working-days, calendar-days or months (default: unchanged).") var unit: PeriodUnit?
    @Option(name: .customLong("extension"), help: "The longest single extension, in the same unit.")
    var extensionLength: Int?
    @OptionGroup var custodians: CustodianOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
      guard clock != "reveal_quorum" else { return }
      guard DeadlineClock(argument: clock) != nil else {
        throw ValidationError(
          "There is no clock '\(clock)'; the clocks are \(DeadlineClock.allValueStrings.joined(separator: ", ")), and reveal_quorum."
        )
      }
    }

    func execute() throws(DocketError) {
      let docket = try connection.open()
      guard let deadline = DeadlineClock(argument: clock) else {
        let given = try custodians.custodians(docket, actor: actor.actor, act: "set reveal quorum")
        let rotation = try docket.setRevealQuorum(length, unlockedBy: given, actor: actor.actor)
        return writeRotation(rotation, json: false)
      }
      let rule = try docket.setDeadline(
        deadline, length: length, unit: unit, extension: extensionLength, actor: actor.actor)
      write("\(rule.clock.command) = \(rule.lengthLabel(language.language))\n")
    }
  }
}

func ruleJSON(_ rule: ClockRule) -> JSONValue {
  .object([
    ("basis", .string(rule.basis)), ("clock", .string(rule.clock.rawValue)),
    ("extension_length", rule.extensionLength.map { .number(Int64($0)) } ?? .null),
    ("length", .number(Int64(rule.length))), ("starts_at", .string(rule.startsAt.rawValue)),
    ("unit", .string(rule.unit.rawValue)),
  ])
}
