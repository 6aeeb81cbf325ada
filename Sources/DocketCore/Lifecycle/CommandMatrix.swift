/// What a command needs of the person running it.
public enum Requirement: Sendable, Equatable {
  /// Any active staff member.
  case anyone
  /// The database's owner or a DBA, not a staff role: setting up and running the database.
  case databaseOwner
  case action(Action)
  case move(Move)

  /// Whether a staff member with `roles` meets it.
  public func allows(_ roles: Set<Role>) -> Bool {
    switch self {
    case .anyone: !roles.isEmpty
    case .databaseOwner: false
    case .action(let action): Permissions.may(roles, action)
    case .move(let move): Permissions.may(roles, move)
    }
  }
}

/// One command line and what it needs, for the permission matrix the README shows.
public struct CommandRule: Sendable {
  public let command: String
  public let requirement: Requirement
  /// Whether it works on items, which a handler sees only for their own unit.
  public let onItems: Bool

  public init(_ command: String, _ requirement: Requirement, onItems: Bool = true) {
    self.command = command
    self.requirement = requirement
    self.onItems = onItems
  }
}

/// Every command of the `docket` tool and who may run it, checked in the service layer. The README's
/// matrix is ``markdown()``'s output, and a test holds the two equal.
public enum CommandMatrix {
  public static let rules: [CommandRule] = [
    CommandRule("db init / migrate / status / start / stop", .databaseOwner, onItems: false),
    CommandRule("demo", .action(.manageStaff), onItems: false),
    CommandRule("intake phone / letter / visit / online / email", .action(.register)),
    CommandRule("intake quarantine list / retry / drop", .action(.register)),
    CommandRule("import handover", .action(.register)),
    CommandRule("export items", .action(.readLedger)),
    CommandRule("export items --with-identity", .action(.revealIdentity)),
    CommandRule("list · show", .action(.readLedger)),
    CommandRule("search", .action(.readLedger)),
    CommandRule("accept", .move(.accept)),
    CommandRule("not-accept", .move(.notAccept)),
    CommandRule("duplicate", .move(.duplicate)),
    CommandRule("forward", .move(.forward)),
    CommandRule("assign", .move(.assign)),
    CommandRule("assign --override-reason", .action(.overrideConflict)),
    CommandRule("start", .move(.start)),
    CommandRule("dispose", .move(.dispose)),
    CommandRule("dispose --approve", .action(.approveDisposal)),
    CommandRule("hold", .move(.hold)),
    CommandRule("resume", .move(.resume)),
    CommandRule("conclude", .move(.conclude)),
    CommandRule("conclude --false-accusation", .action(.findFalseAccusation)),
    CommandRule("close", .move(.close)),
    CommandRule("reopen", .move(.reopen)),
    CommandRule("notify · feedback", .action(.register)),
    CommandRule("receipt reissue / note", .action(.register)),
    CommandRule("status --receipt", .action(.checkReceipt)),
    CommandRule("extend", .action(.approveDisposal)),
    CommandRule("overdue", .action(.readLedger)),
    CommandRule("overdue --letters", .action(.issueLetters)),
    CommandRule("report monthly / weekly", .action(.readReports)),
    CommandRule("reveal", .action(.revealIdentity)),
    CommandRule(
      "key rotate / custodian add / remove / passphrase · policy set reveal_quorum", .action(.revealIdentity),
      onItems: false),
    CommandRule("key status", .action(.readJournal), onItems: false),
    CommandRule("attachment list · get (released)", .action(.readLedger)),
    CommandRule("attachment release · get --reason (unreleased)", .action(.revealIdentity)),
    CommandRule("redact", .action(.register)),
    CommandRule(
      "rectify round add · import · link · milestone · sign-off · reopen", .action(.manageRectification)),
    CommandRule("rectify list · show · evidence · board · dispatch · report", .action(.readLedger)),
    CommandRule("rectify progress · complete", .action(.workMeasure)),
    CommandRule("rectify claim · sign-off --approve", .action(.leadMeasure)),
    CommandRule("rectify letters", .action(.issueLetters), onItems: false),
    CommandRule("audit verify / log", .action(.readJournal)),
    CommandRule(
      "staff list · unit list · config show · calendar show · policy show", .action(.readLedger),
      onItems: false),
    CommandRule("staff add / map / disable · unit add", .action(.manageStaff), onItems: false),
    CommandRule(
      "config set · calendar import · policy set", .action(.configure), onItems: false),
  ]

  /// The roles in the matrix's column order.
  public static let roles: [Role] = [.registrar, .handler, .leader, .caseOffice, .auditor, .admin]

  /// The matrix as a Markdown table: ✓ allowed, ✓¹ only for the items of the handler's own unit.
  public static func markdown() -> String {
    var lines = ["| command | " + roles.map(\.rawValue).joined(separator: " | ") + " |"]
    lines.append("|---|" + String(repeating: "---|", count: roles.count))
    for rule in rules {
      let cells = roles.map { role -> String in
        if rule.requirement == .databaseOwner { return "DBA" }
        guard rule.requirement.allows([role]) else { return "" }
        return rule.onItems && !Permissions.seesAllUnits([role]) ? "✓¹" : "✓"
      }
      lines.append("| `\(rule.command)` | " + cells.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
