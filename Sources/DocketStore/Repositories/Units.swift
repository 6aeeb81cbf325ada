import DocketCore

/// Responsible units.
public struct UnitRepository {
  let db: Connection
  public init(_ db: Connection) { self.db = db }

  public func add(name: String) throws(DatabaseError) -> OrgUnit {
    let row = try db.first("INSERT INTO units (name) VALUES ($1) RETURNING id, name", [name])!
    return try Self.unit(row)
  }

  public func named(_ name: String) throws(DatabaseError) -> OrgUnit? {
    try db.first("SELECT id, name FROM units WHERE name = $1", [name]).map(Self.unit)
  }

  public func all() throws(DatabaseError) -> [OrgUnit] {
    try db.query("SELECT id, name FROM units ORDER BY name").map(Self.unit)
  }

  static func unit(_ row: Row) throws(DatabaseError) -> OrgUnit {
    OrgUnit(id: try row.decode("id"), name: try row.decode("name"))
  }
}
