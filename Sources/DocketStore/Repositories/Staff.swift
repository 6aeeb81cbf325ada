import DocketCore

/// Staff members and their roles.
public struct StaffRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  private static let select = """
    SELECT s.id, s.login, s.name, s.roles, s.unit_id, u.name AS unit_name, s.active
    FROM staff s LEFT JOIN units u ON u.id = s.unit_id
    """

  public func add(
    login: String, name: String, roles: Set<Role>, unitID: Int?, databaseRole: String? = nil
  ) throws(DatabaseError) -> Staff {
    try db.query(
      "INSERT INTO staff (login, name, roles, unit_id, db_role) VALUES ($1, $2, $3, $4, $5)",
      [login, name, TextArray(roles.map(\.rawValue).sorted()), unitID, databaseRole])
    return try withLogin(login)!
  }

  /// Makes the database role `role` a member of docket_staff, which holds the table privileges,
  /// through the migration's `docket_enrol_role`, which checks that the caller may.
  public func enrol(databaseRole role: String) throws(DatabaseError) {
    try db.query("SELECT docket_enrol_role($1)", [role])
  }

  /// Maps the database role `role` to the staff member `login`; returns whether there was one.
  public func map(login: String, databaseRole role: String) throws(DatabaseError) -> Bool {
    try db.execute(count: "UPDATE staff SET db_role = $2 WHERE login = $1", [login, role]) == 1
  }

  /// Marks a staff member inactive: their database role can then do nothing in docket, and row-level
  /// security shows it no items. Returns whether there was such a member still active.
  public func disable(login: String) throws(DatabaseError) -> Bool {
    try db.execute(count: "UPDATE staff SET active = false WHERE login = $1 AND active", [login]) == 1
  }

  public func withLogin(_ login: String) throws(DatabaseError) -> Staff? {
    try db.first(Self.select + " WHERE s.login = $1", [login]).map(Self.staff)
  }

  /// The staff member mapped to the database role `role`, and the one with `login` (nil when no
  /// login is asked for), in one round trip: every use case starts by asking both.
  public func acting(databaseRole role: String, login: String?) throws(DatabaseError) -> (
    connected: Staff?, requested: Staff?
  ) {
    var connected: Staff?
    var requested: Staff?
    for row in try db.query(
      """
      SELECT s.db_role = $1 AS connected, s.login = $2 AS requested, s.id, s.login, s.name, s.roles, s.unit_id,
        u.name AS unit_name, s.active
      FROM staff s LEFT JOIN units u ON u.id = s.unit_id
      WHERE s.db_role = $1 OR s.login = $2
      """, [role, login])
    {
      let staff = try Self.staff(row)
      if try row.optional("connected") == true { connected = staff }
      if try row.optional("requested") == true { requested = staff }
    }
    return (connected, requested)
  }

  public func all() throws(DatabaseError) -> [Staff] {
    try db.query(Self.select + " ORDER BY s.login").map(Self.staff)
  }

  public func count() throws(DatabaseError) -> Int {
    try db.first("SELECT count(*) AS n FROM staff")!.decode("n")
  }

  static func staff(_ row: Row) throws(DatabaseError) -> Staff {
    let rolesText: String = try row.decode("roles")
    let roles = rolesText.trimmingCharacters(in: ["{", "}"]).split(separator: ",").compactMap {
      Role(rawValue: String($0))
    }
    return Staff(
      id: try row.decode("id"), login: try row.decode("login"), name: try row.decode("name"),
      roles: Set(roles), unitID: try row.optional("unit_id"), unitName: try row.optional("unit_name"),
      active: try row.decode("active"))
  }
}
