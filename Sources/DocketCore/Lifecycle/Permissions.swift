/// Something a staff member may be allowed to do.
public enum Action: String, Sendable, CaseIterable {
  case register
  case move
  case approveDisposal = "approve_disposal"
  case overrideConflict = "override_conflict"
  case findFalseAccusation = "find_false_accusation"
  case revealIdentity = "reveal_identity"
  case issueLetters = "issue_letters"
  case readLedger = "read_ledger"
  case readReports = "read_reports"
  case readJournal = "read_journal"
  case manageStaff = "manage_staff"
  case configure
  /// Keeping the rectification ledger (整改台账): rounds and their plans; the rectification
  /// office's work, which the case office (案管) and leaders do.
  case manageRectification = "manage_rectification"
  /// Progress on a measure and its completion: a handler for their own unit's measures, the
  /// rectification office and leaders for any.
  case workMeasure = "work_measure"
  /// A leader's part in the rectification: taking personal charge of a measure (领办) and
  /// approving its sign-off (销号) as its lead leader.
  case leadMeasure = "lead_measure"
  /// Looking up an item's public status by its receipt code, for the reporter who holds it.
  case checkReceipt = "check_receipt"
}

/// Who may do what. Moves are checked per move, because a registrar screens and a handler handles.
public enum Permissions {
  /// Whether any of `roles` may make `move`.
  public static func may(_ roles: Set<Role>, _ move: Move) -> Bool {
    roles.contains { role in
      switch role {
      case .admin, .leader: true
      case .registrar: [.accept, .notAccept, .duplicate, .forward].contains(move)
      case .handler: [.start, .dispose, .hold, .resume, .conclude].contains(move)
      case .caseOffice: [.close].contains(move)
      case .auditor: false
      }
    }
  }

  /// Whether `roles` see the items of every unit. A handler alone sees only the items assigned to
  /// their own unit; the database's row-level security (sql/0010_access.sql) draws the same line.
  public static func seesAllUnits(_ roles: Set<Role>) -> Bool {
    !roles.isDisjoint(with: [.registrar, .leader, .caseOffice, .auditor, .admin])
  }

  /// Whether any of `roles` may take `action`.
  ///
  /// The decisions the design gives a leader (approving a disposal, overriding a conflict of
  /// interest, finding a false accusation, revealing an identity) are the leader's alone: an
  /// administrator runs the system but does not decide cases.
  public static func may(_ roles: Set<Role>, _ action: Action) -> Bool {
    roles.contains { role in
      switch (role, action) {
      case (_, .readLedger), (_, .readReports), (_, .checkReceipt): true
      // The whole journal crosses units; a handler reads their items' events with `show`.
      case (.handler, .readJournal): false
      case (_, .readJournal): true
      case (.leader, .approveDisposal), (.leader, .overrideConflict), (.leader, .findFalseAccusation),
        (.leader, .revealIdentity):
        true
      case (.admin, .approveDisposal), (.admin, .overrideConflict), (.admin, .findFalseAccusation),
        (.admin, .revealIdentity):
        false
      case (.leader, .issueLetters), (.caseOffice, .issueLetters): true
      case (.leader, .manageRectification), (.caseOffice, .manageRectification): true
      case (.handler, .workMeasure), (.leader, .workMeasure), (.caseOffice, .workMeasure): true
      case (.leader, .leadMeasure): true
      case (.admin, .leadMeasure): false
      case (.admin, .issueLetters): false
      case (.admin, _): true
      case (.registrar, .register), (.leader, .register), (.caseOffice, .register): true
      case (.leader, .move), (.registrar, .move), (.handler, .move), (.caseOffice, .move): true
      default: false
      }
    }
  }
}
