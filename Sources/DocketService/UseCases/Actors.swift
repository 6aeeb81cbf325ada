import DocketCore
import DocketStore

extension Docket {
  /// The staff member acting: `--as LOGIN`, else `$DOCKET_USER`, else whoever is mapped to the
  /// connected database role (on the embedded database, its administrator).
  public func actor(_ login: String?) throws(DocketError) -> Staff {
    let repository = StaffRepository(db)
    if let login = login ?? environment["DOCKET_USER"].flatMap({ $0.isEmpty ? nil : $0 }) {
      guard let staff = try store({ try repository.withLogin(login) }) else {
        throw .notFound("staff member with login '\(login)'; list them with 'docket staff list'")
      }
      guard staff.active else { throw .refused("\(login) is no longer active and cannot act.") }
      return staff
    }
    guard let staff = try store({ try repository.mappedTo(databaseRole: db.user) }) else {
      throw .refused(
        "No staff member is mapped to the database role '\(db.user)'; say who you are with --as LOGIN or DOCKET_USER."
      )
    }
    return staff
  }

  /// Refuses unless `actor` may take `action`.
  func require(_ actor: Staff, _ action: Action, _ description: String) throws(DocketError) {
    guard Permissions.may(actor.roles, action) else {
      throw .forbidden(actor: actor.login, action: description)
    }
  }
}
