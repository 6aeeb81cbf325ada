import DocketCore
import DocketStore

/// An administrator entering work in someone else's name (`--as`), which every journal event of the
/// use case records as `entered_by`.
struct OnBehalf: Equatable {
  /// The staff member in whose name the work is done.
  let login: String
  /// The administrator who did it.
  let by: String
}

extension Docket {
  /// The staff member acting.
  ///
  /// The database authenticates people: the connected database role must be mapped to an active
  /// staff member (`docket staff add … --db-role`), who is the actor. `login` (`--as`, else
  /// `$DOCKET_USER`) names someone else only when that staff member is an administrator entering
  /// work on their behalf, for example from a paper register; the journal then records both.
  public func actor(_ login: String?) throws(DocketError) -> Staff {
    let requested = login ?? environment["DOCKET_USER"].flatMap { $0.isEmpty ? nil : $0 }
    let found = try store { try StaffRepository(db).acting(databaseRole: db.user, login: requested) }
    guard let connected = found.connected else {
      throw .refused(
        "The database role '\(db.user)' is not mapped to any staff member, so it may do nothing in docket; an administrator maps it with 'docket staff add LOGIN --name … --role … --db-role \(db.user)'."
      )
    }
    guard connected.active else {
      throw .refused("\(connected.login) is no longer active and cannot act; an administrator can say why.")
    }
    guard let requested, requested != connected.login else {
      onBehalf = nil
      return connected
    }
    guard connected.roles.contains(.admin) else {
      throw .refused(
        "You are connected as \(connected.login) (database role '\(db.user)'); only an administrator may act on behalf of \(requested). Drop --as (and DOCKET_USER), or connect with \(requested)'s own database role."
      )
    }
    guard let staff = found.requested else {
      throw .notFound("staff member with login '\(requested)'; list them with 'docket staff list'")
    }
    guard staff.active else { throw .refused("\(requested) is no longer active and cannot act.") }
    onBehalf = OnBehalf(login: staff.login, by: connected.login)
    return staff
  }

  /// Refuses unless `actor` may take `action`.
  func require(_ actor: Staff, _ action: Action, _ description: String) throws(DocketError) {
    guard Permissions.may(actor.roles, action) else {
      throw .forbidden(actor: actor.login, action: description)
    }
  }

  /// Refuses when an administrator is acting on `actor`'s behalf: some things (seeing a reporter's
  /// identity) must be done by the permitted person themself.
  func requireInPerson(_ actor: Staff, _ description: String) throws(DocketError) {
    if let onBehalf, onBehalf.login == actor.login {
      throw .refused(
        "\(onBehalf.by) may not \(description) on behalf of \(actor.login); \(actor.login) must do it on their own database role."
      )
    }
  }

  /// Whether `actor` sees an item assigned to `unitID`: everyone but a handler sees every unit's
  /// items; a handler, those of their own unit (as the database's row-level security does).
  func sees(_ unitID: Int?, _ actor: Staff) -> Bool {
    Permissions.seesAllUnits(actor.roles) || (unitID != nil && unitID == actor.unitID)
  }

  /// Refuses an item outside what `actor` sees, in the words a missing item gets, so that a handler
  /// learns nothing of other units' items, not even that they exist.
  func requireSees(_ item: Item, _ actor: Staff) throws(DocketError) {
    guard sees(item.unitID, actor) else { throw .notFound("item \(item.ref)") }
  }

  /// The administrator entering this event on the actor's behalf, if any.
  func enteredBy(_ actor: String) -> String? {
    guard let onBehalf, onBehalf.login == actor else { return nil }
    return onBehalf.by
  }
}
