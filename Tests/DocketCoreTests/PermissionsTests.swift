import Testing

@testable import DocketCore

/// Who may make which move, written out by hand (DESIGN.md, "Who uses it").
private let movesByRole: [Role: Set<Move>] = [
  // The intake registrar screens: accept, not accept, duplicate, forward.
  .registrar: [.accept, .notAccept, .duplicate, .forward],
  // A handler works what was assigned to the unit.
  .handler: [.start, .dispose, .hold, .resume, .conclude],
  // The case-management office closes (对账销号).
  .caseOffice: [.close],
  .leader: Set(Move.allCases),
  .admin: Set(Move.allCases),
  // The auditor reads everything and changes nothing.
  .auditor: [],
]

// Everyone reads the ledger and the reports (a handler only their unit's part); the whole journal is
// for those who see every unit.
private let actionsByRole: [Role: Set<Action>] = [
  .registrar: [.register, .move, .readLedger, .readJournal, .readReports, .checkReceipt],
  // …and the rectification measures their unit is responsible for.
  .handler: [.move, .readLedger, .readReports, .checkReceipt, .workMeasure],
  // The case office and leaders chase units with supervision letters and keep the rectification
  // ledger.
  .caseOffice: [
    .register, .move, .readLedger, .readJournal, .readReports, .issueLetters, .manageRectification,
    .workMeasure, .checkReceipt,
  ],
  .leader: [
    .register, .move, .approveDisposal, .overrideConflict, .findFalseAccusation, .revealIdentity,
    .readLedger, .readJournal, .readReports, .issueLetters, .manageRectification, .checkReceipt,
    // A lead leader (牵头领导) takes charge of measures and approves their sign-off.
    .workMeasure, .leadMeasure,
  ],
  .auditor: [.readLedger, .readJournal, .readReports, .checkReceipt],
  // An administrator runs the system; the leader's decisions stay the leader's.
  .admin: [
    .register, .move, .readLedger, .readJournal, .readReports, .manageStaff, .configure, .manageRectification,
    .workMeasure, .checkReceipt,
  ],
]

@Suite("Permissions")
struct PermissionsTests {
  @Test("each role may make exactly its moves", arguments: Role.allCases)
  func movesPerRole(_ role: Role) {
    let allowed = movesByRole[role]!
    for move in Move.allCases {
      #expect(Permissions.may([role], move) == allowed.contains(move), "\(role) \(move.command)")
    }
  }

  @Test("each role may take exactly its actions", arguments: Role.allCases)
  func actionsPerRole(_ role: Role) {
    let allowed = actionsByRole[role]!
    for action in Action.allCases {
      #expect(Permissions.may([role], action) == allowed.contains(action), "\(role) \(action)")
    }
  }

  @Test("a registrar may screen but not close, assign, handle or reopen")
  func registrar() {
    for move in [Move.accept, .notAccept, .duplicate, .forward] {
      #expect(Permissions.may([.registrar], move))
    }
    for move in [Move.close, .assign, .start, .conclude, .reopen, .dispose] {
      #expect(!Permissions.may([.registrar], move))
    }
  }

  @Test("a handler may start and conclude but not accept, close or reopen")
  func handler() {
    #expect(Permissions.may([.handler], .start))
    #expect(Permissions.may([.handler], .conclude))
    #expect(Permissions.may([.handler], .dispose))
    #expect(!Permissions.may([.handler], .accept))
    #expect(!Permissions.may([.handler], .close))
    #expect(!Permissions.may([.handler], .reopen))
    #expect(!Permissions.may([.handler], .approveDisposal))
    #expect(!Permissions.may([.handler], .findFalseAccusation))
  }

  @Test("an auditor may move nothing and change nothing, but read the ledger and the journal")
  func auditor() {
    for move in Move.allCases { #expect(!Permissions.may([.auditor], move)) }
    #expect(!Permissions.may([.auditor], .move))
    #expect(!Permissions.may([.auditor], .register))
    #expect(!Permissions.may([.auditor], .manageStaff))
    #expect(!Permissions.may([.auditor], .configure))
    #expect(Permissions.may([.auditor], .readLedger))
    #expect(Permissions.may([.auditor], .readJournal))
  }

  @Test(
    "only a leader approves disposals, overrides conflicts, finds false accusation and reveals identities")
  func leaderOnly() {
    for action in [Action.approveDisposal, .overrideConflict, .findFalseAccusation, .revealIdentity] {
      for role in Role.allCases {
        #expect(Permissions.may([role], action) == (role == .leader), "\(role) \(action)")
      }
    }
  }

  @Test("only an admin manages staff and configures")
  func adminOnly() {
    for action in [Action.manageStaff, .configure] {
      for role in Role.allCases {
        #expect(Permissions.may([role], action) == (role == .admin), "\(role) \(action)")
      }
    }
  }

  @Test("several roles add up")
  func unionOfRoles() {
    let both: Set<Role> = [.registrar, .handler]
    #expect(Permissions.may(both, .accept))
    #expect(Permissions.may(both, .conclude))
    #expect(!Permissions.may(both, .close))
    // Adding the auditor role takes nothing away.
    #expect(Permissions.may([.auditor, .caseOffice], .close))
  }

  @Test("no roles means no permission at all")
  func noRoles() {
    for move in Move.allCases { #expect(!Permissions.may([], move)) }
    for action in Action.allCases { #expect(!Permissions.may([], action)) }
  }
}
