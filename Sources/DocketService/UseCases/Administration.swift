import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// Adds a responsible unit.
  public func addUnit(_ name: String, actor login: String?) throws(DocketError) -> OrgUnit {
    let actor = try actor(login)
    try require(actor, .manageStaff, "add units")
    guard let name = name.nonEmpty else { throw .invalid("A unit needs a name.") }
    return try transaction { () throws(DocketError) in
      if try store({ try UnitRepository(db).named(name) }) != nil {
        throw .refused("The unit '\(name)' exists already.")
      }
      let unit = try store { try UnitRepository(db).add(name: name) }
      try journal(item: nil, actor: actor.login, .unitAdded(unit: name), at: now())
      return unit
    }
  }

  public func units(actor login: String?) throws(DocketError) -> [OrgUnit] {
    try require(try actor(login), .readLedger, "list units")
    return try store { try UnitRepository(db).all() }
  }

  /// Adds a staff member with their roles and unit.
  public func addStaff(
    login newLogin: String, name: String, roles: Set<Role>, unit unitName: String?,
    databaseRole: String? = nil,
    actor login: String?
  ) throws(DocketError) -> Staff {
    let actor = try actor(login)
    try require(actor, .manageStaff, "add staff")
    let newLogin = newLogin.lowercased()
    guard newLogin.range(of: "^[a-z0-9][a-z0-9._-]{0,62}$", options: .regularExpression) != nil else {
      throw .invalid("The login '\(newLogin)' must be lower-case letters, digits, '.', '_' or '-'.")
    }
    guard let name = name.nonEmpty else { throw .invalid("A staff member needs a name (--name).") }
    guard !roles.isEmpty else {
      throw .invalid(
        "Give at least one role with --role: \(Role.allCases.map(\.command).joined(separator: ", ")).")
    }
    return try transaction { () throws(DocketError) in
      var unitID: Int?
      if let unitName {
        guard let unit = try store({ try UnitRepository(db).named(unitName) }) else {
          throw .notFound("unit '\(unitName)'; add it with 'docket unit add'")
        }
        unitID = unit.id
      }
      if roles.contains(.handler) && unitID == nil {
        throw .invalid("A handler belongs to a unit; give --unit.")
      }
      if try store({ try StaffRepository(db).withLogin(newLogin) }) != nil {
        throw .refused("The login '\(newLogin)' is taken.")
      }
      let staff = try store {
        try StaffRepository(db).add(
          login: newLogin, name: name, roles: roles, unitID: unitID, databaseRole: databaseRole)
      }
      if let databaseRole { try enrol(databaseRole) }
      try journal(
        item: nil, actor: actor.login,
        .staffAdded(
          login: newLogin, roles: roles.map(\.rawValue).sorted().joined(separator: ","), unit: unitName,
          databaseRole: databaseRole), at: now())
      return staff
    }
  }

  /// Grants the database role the table privileges docket needs, in the words a DBA needs when
  /// the role is missing or this administrator may not grant it.
  private func enrol(_ role: String) throws(DocketError) {
    do {
      try StaffRepository(db).enrol(databaseRole: role)
    } catch let error where error.sqlState == SQLState.undefinedObject {
      throw .refused(
        "The database role '\(role)' does not exist; a DBA creates it first (CREATE ROLE … LOGIN, with the authentication your server uses), then add the staff member again."
      )
    } catch let error where error.sqlState == SQLState.insufficientPrivilege {
      throw .refused(
        "This connection may not grant database roles; a DBA runs 'GRANT docket_staff TO \(role)', or an administrator connected on their own role adds the staff member."
      )
    } catch { throw .database(error) }
  }

  /// Maps an existing staff member to their own database role (created by the DBA), which then acts
  /// as them, and enrols the role in docket_staff.
  public func mapStaff(login target: String, databaseRole: String, actor login: String?) throws(DocketError) {
    let actor = try actor(login)
    try require(actor, .manageStaff, "map staff to database roles")
    try transaction { () throws(DocketError) in
      let mapped: Bool
      do throws(DatabaseError) {
        mapped = try StaffRepository(db).map(login: target, databaseRole: databaseRole)
      } catch let error where error.sqlState == SQLState.uniqueViolation {
        throw .refused("The database role '\(databaseRole)' already acts as another staff member.")
      } catch { throw .database(error) }
      guard mapped else { throw .notFound("staff member with login '\(target)'") }
      try enrol(databaseRole)
      try journal(
        item: nil, actor: actor.login, .staffMapped(login: target, databaseRole: databaseRole), at: now())
    }
  }

  /// Disables a staff member, who from then on can do nothing, whatever their database role.
  public func disableStaff(login target: String, reason: String, actor login: String?) throws(DocketError) {
    let actor = try actor(login)
    try require(actor, .manageStaff, "disable staff")
    let reason = try required(reason, "a reason (--reason)")
    guard target != actor.login else {
      throw .refused("An administrator cannot disable themself; ask another administrator.")
    }
    try transaction { () throws(DocketError) in
      guard try store({ try StaffRepository(db).disable(login: target) }) else {
        throw .notFound("active staff member with login '\(target)'")
      }
      try journal(item: nil, actor: actor.login, .staffDisabled(login: target, reason: reason), at: now())
    }
  }

  public func staff(actor login: String?) throws(DocketError) -> [Staff] {
    try require(try actor(login), .readLedger, "list staff")
    return try store { try StaffRepository(db).all() }
  }

  /// The settings an office may change, with their current values.
  public func settings(actor login: String?) throws(DocketError) -> [String: String] {
    try require(try actor(login), .readLedger, "read settings")
    return try store { try SettingsRepository(db).all() }.filter {
      Self.settingKeys.contains($0.key)
    }
  }

  /// The settings an office may change with `docket config set`.
  public static let settingKeys = [
    "office_timezone", "reference_pattern", "warning_blue_working_days", "warning_amber_working_days",
    "supervision_after_working_days", "closure_rate_target_percent", "email_size_limit_mb",
    "email_default_kind", "email_suggestion_addresses", "handover_columns",
    "measure_warning_blue_working_days", "measure_warning_amber_working_days",
    "measure_immediate_working_days",
    "feedback_phone", "feedback_address", "feedback_envelope_note", "feedback_email",
  ]

  /// Changes a setting, checked before it is stored.
  public func setSetting(_ key: String, _ value: String, actor login: String?) throws(DocketError) {
    let actor = try actor(login)
    try require(actor, .configure, "change settings")
    switch key {
    case "office_timezone":
      guard TimeZone(identifier: value) != nil else {
        throw .invalid("'\(value)' is not a time zone; use an IANA name such as Asia/Shanghai.")
      }
    case "reference_pattern":
      do { _ = try ReferencePattern(value) } catch { throw .from(error) }
    case "warning_blue_working_days", "warning_amber_working_days":
      guard let days = Int(value), (0...30).contains(days) else {
        throw .invalid("\(key) is a number of working days from 0 to 30, not '\(value)'.")
      }
      let engine = try clockEngine().thresholds
      let blue = key == "warning_blue_working_days" ? days : engine.blue
      let amber = key == "warning_amber_working_days" ? days : engine.amber
      guard amber <= blue else {
        throw .invalid(
          "The amber warning (\(amber) working days) must not start before the blue one (\(blue)).")
      }
    case "measure_warning_blue_working_days", "measure_warning_amber_working_days",
      "measure_immediate_working_days":
      guard let days = Int(value), (0...250).contains(days) else {
        throw .invalid("\(key) is a number of working days from 0 to 250, not '\(value)'.")
      }
    case "feedback_email" where !value.isEmpty:
      do { _ = try Contact.email(value) } catch {
        throw .invalid(
          "feedback_email is the address the public writes to; '\(value)' is not an email address.")
      }
    case "feedback_phone", "feedback_address", "feedback_envelope_note", "feedback_email":
      // The public progress report's contacts: free text, one line.
      guard !value.contains("\n") else { throw .invalid("\(key) is one line of text.") }
    case "supervision_after_working_days":
      guard let days = Int(value), (1...250).contains(days) else {
        throw .invalid("\(key) is a number of working days from 1 to 250, not '\(value)'.")
      }
    case "closure_rate_target_percent":
      guard let percent = Double(value), (0...100).contains(percent) else {
        throw .invalid("\(key) is a percentage from 0 to 100, not '\(value)'.")
      }
    case "handover_columns":
      do { _ = try HandoverColumns(setting: value) } catch { throw .from(error) }
    case "email_size_limit_mb":
      guard let megabytes = Int(value), (1...1024).contains(megabytes) else {
        throw .invalid("\(key) is a number of megabytes from 1 to 1024, not '\(value)'.")
      }
    case "email_default_kind":
      do { _ = try Kind.parsing(value, field: key) } catch { throw .from(error) }
    case "email_suggestion_addresses":
      for address in value.split(whereSeparator: { $0 == "," || $0 == " " }) {
        do { _ = try Contact.email(String(address)) } catch {
          throw .invalid("\(key) is a list of email addresses separated by commas; '\(address)' is not one.")
        }
      }
    default:
      throw .invalid(
        "There is no setting '\(key)'; the settings are \(Self.settingKeys.joined(separator: ", ")).")
    }
    try transaction { () throws(DocketError) in
      try store { try SettingsRepository(db).set(key, value) }
      try journal(item: nil, actor: actor.login, .settingChanged(key: key, value: value), at: now())
      // An item turns overdue at the start of a day in the office: a new time zone moves it.
      if key == "office_timezone" {
        // The rollup counts by office month: it is rebuilt from nothing.
        try store { try ReportRepository(db).reset() }
        try invalidateClocks()
      }
    }
    office = try loadOffice()
    if key == "office_timezone" { try workOutMissingClocks() }
  }
}
