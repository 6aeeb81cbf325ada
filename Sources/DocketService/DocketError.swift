import DocketCore
import DocketStore

/// Why a use case did not happen, in words for the person who asked; turned into one sentence and
/// an exit code at the command-line boundary.
public enum DocketError: Error, Sendable, CustomStringConvertible {
  /// No item, unit or staff member with that name.
  case notFound(String)
  /// The actor's roles do not allow this.
  case forbidden(actor: String, action: String)
  /// The state machine does not allow the move from the item's current state.
  case transition(ref: String, TransitionError)
  /// Somebody else changed the item after it was read.
  case changedMeanwhile(ref: String)
  /// A rule of the office refused the request (conflict of interest, time order, …).
  case refused(String)
  /// Input data with the wrong shape: a phone number, a date, a word not in a vocabulary.
  case invalid(String)
  case database(DatabaseError)
  case cluster(LocalClusterError)
  case migration(MigrationError)
  /// The symmetric key file of docket before 0018 (read once, by `db migrate`, to re-seal what it
  /// sealed) is missing, unreadable, or not the one this database was set up with.
  case identityKey(String)
  /// Sealing to the office key, or opening what was sealed, failed.
  case sealing(SealingError)
  /// Refused for now, to be tried again later (a rate limit); exit 75.
  case temporary(String)
  /// The command was given wrongly (a mailbox that is not there); exit 64.
  case usage(String)

  public var description: String {
    switch self {
    case .notFound(let what): "There is no \(what)."
    case .forbidden(let actor, let action): "\(actor) may not \(action); ask a colleague with that role."
    case .transition(let ref, let error): "\(ref): \(error)"
    case .changedMeanwhile(let ref):
      "\(ref) was changed meanwhile by someone else; reload it with 'docket show \(ref)' and try again."
    case .refused(let reason): reason
    case .invalid(let problem): problem
    case .database(let error) where error.isCommitOutcomeUnknown:
      "The database became unavailable while the change was being saved, so it is not known whether it was saved; look for it with 'docket list' or 'docket show' before entering it again (email and handover lists can simply be given again: docket recognises what it already has). \(error.particulars)"
    case .database(let error): error.description
    case .migration(.database(let error)) where error.isTemporary: error.description
    case .cluster(let error): error.description
    case .migration(let error): error.description
    case .identityKey(let problem): problem
    case .sealing(.wrongPassphrase): "The passphrase is wrong."
    case .sealing(let error): "\(error.description.prefix(1).uppercased())\(error.description.dropFirst())."
    case .temporary(let reason): reason
    case .usage(let problem): problem
    }
  }

  /// The process's exit status for this error, as sysexits(3) names them and the `docket --help`
  /// text lists them: 64 the command was given wrongly, 65 its input data is wrong, 75 try again
  /// later, 1 refused or failed. The one table every command uses.
  public var exitCode: Int32 {
    if isTemporary { return 75 }
    if isBadUsage { return 64 }
    if isBadInput { return 65 }
    return 1
  }

  /// Whether trying again later may succeed (the database is down or starting, or a rate limit holds).
  public var isTemporary: Bool {
    switch self {
    case .database(let error): error.isTemporary
    // Reading the migrations' state is the first thing a command does: a database that goes away
    // then is as temporary as at any later moment.
    case .migration(.database(let error)), .migration(.failed(_, let error)): error.isTemporary
    case .temporary: true
    case .cluster(let error): error.isTemporary
    default: false
    }
  }

  /// Whether the command itself was given wrongly (exit 64).
  public var isBadUsage: Bool {
    if case .usage = self { return true }
    return false
  }

  /// Whether the request carried bad input data (exit 65) rather than being refused (exit 1).
  public var isBadInput: Bool {
    if case .invalid = self { return true }
    return false
  }
}

extension DocketError {
  static func from(_ error: FieldError) -> DocketError { .invalid(error.description) }
  static func from(_ error: VocabularyError) -> DocketError { .invalid(error.description) }
}
