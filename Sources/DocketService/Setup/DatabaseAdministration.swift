import DocketCore
import DocketStore
import Foundation

/// What `docket db status` reports.
public struct DatabaseStatus: Sendable {
  public var url: String
  public var origin: String
  /// The role connected as; nil when the embedded database is stopped (nothing was connected).
  public var user: String?
  /// Empty when the embedded database is stopped: they are read once it runs.
  public var migrations: [MigrationState]
  /// Nil for a configured database, which docket neither starts nor stops.
  public var embeddedRunning: Bool?
}

/// One migration file and whether the database has it.
public struct MigrationState: Sendable {
  public var name: String
  public var version: Int
  /// Nil while pending.
  public var appliedAt: Date?
  /// Applied, but the file has changed since.
  public var changed: Bool
}

extension Docket {
  /// Applies pending migrations and makes sure a first administrator exists, mapped to the
  /// connected database role so that the person who set docket up can act without `--as`. With
  /// `custodian`, also makes the office's key pair and its first custodian, unless it has one.
  public func initialize(migrator given: Migrator? = nil, custodian: CustodianSetup? = nil)
    throws(DocketError)
  {
    let migrator: Migrator
    if let given { migrator = given } else { migrator = try self.migrator() }
    do { try migrator.migrate(db) } catch { throw .migration(error) }
    try workOutMissingClocks()
    office = try loadOffice()
    try transaction { () throws(DocketError) in
      let settings = SettingsRepository(db)
      // Two first uses at the same moment must agree on one administrator.
      try store { try settings.lockForInitialization() }
      let staff = StaffRepository(db)
      if try store({ try staff.count() }) == 0 {
        let admin = try store {
          try staff.add(login: "admin", name: "系统管理员", roles: [.admin], unitID: nil, databaseRole: db.user)
        }
        try journal(
          item: nil, actor: "system",
          .staffAdded(login: admin.login, roles: "admin", unit: nil, databaseRole: db.user), at: now())
      }
    }
    office = try loadOffice()
    if let custodian, try store({ try KeyRepository(db).officeKeyInUse() }) == nil,
      try sealingUpgradePending() == nil
    {
      try createOfficeKey(custodian: custodian.login, name: custodian.name, passphrase: custodian.passphrase)
    }
  }

  /// The office key's fingerprint, if it has one.
  public func officeKeyFingerprint() throws(DocketError) -> String? {
    try store { try KeyRepository(db).officeKeyInUse() }?.fingerprint
  }

  /// What `docket db migrate` did.
  public struct MigrationReport: Sendable {
    /// The names of the files applied, in order.
    public var applied: [String]
    /// Items whose clock facts were worked out from their journals (kept since 0005_clock_facts).
    public var clocksWorkedOut: Int
    /// Items whose search documents were made (kept since 0023_search).
    public var itemsIndexed: Int
  }

  /// Applies pending migrations (for a configured database whose DBA runs them), then works out
  /// what a migration left to docket: the clock facts and search documents of items registered
  /// before they were kept.
  public func migrate() throws(DocketError) -> MigrationReport {
    let migrator = try self.migrator()
    let applied: [Migration]
    do { applied = try migrator.migrate(db) } catch { throw .migration(error) }
    let clocks = try workOutMissingClocks()
    return MigrationReport(
      applied: applied.map(\.name), clocksWorkedOut: clocks, itemsIndexed: try indexMissing())
  }

  /// The status of the database `databaseURL` and the environment choose, without starting
  /// anything: a stopped embedded database is reported stopped, with its URL, and stays stopped. The
  /// service opened on a running one comes back with it, for what else a status shows.
  public static func status(
    databaseURL: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(DocketError) -> (status: DatabaseStatus, docket: Docket?) {
    let choice = DatabaseChoice.resolve(flag: databaseURL, environment: environment)
    if case .embedded(let cluster) = choice, !cluster.isRunning {
      return (
        DatabaseStatus(
          url: cluster.url, origin: choice.origin, user: nil, migrations: [], embeddedRunning: false),
        nil
      )
    }
    let docket = try open(
      databaseURL: databaseURL, environment: environment, checkSchema: false, starting: false)
    return (try docket.status(), docket)
  }

  public func status() throws(DocketError) -> DatabaseStatus {
    let migrator = try self.migrator()
    let migrations: [MigrationStatus]
    do { migrations = try migrator.status(db) } catch { throw .migration(error) }
    var url: String
    var running: Bool?
    switch choice {
    case .embedded(let cluster):
      url = cluster.url
      running = cluster.isRunning
    case .url, .environment:
      // What libpq actually connected to, whatever URI, environment or service file chose it;
      // never the password.
      url = db.parameters
    }
    return DatabaseStatus(
      url: url, origin: choice.origin, user: db.user,
      migrations: migrations.map {
        MigrationState(
          name: $0.migration.name, version: $0.migration.version, appliedAt: $0.appliedAt, changed: $0.changed
        )
      }, embeddedRunning: running)
  }

  /// Starts the embedded database (creating it on first use) and returns its URL; refused when the
  /// database in use is a configured one, which docket never starts or stops.
  public static func startEmbedded(
    databaseURL: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(DocketError) -> String {
    let cluster = try embedded(databaseURL, environment)
    do { try cluster.ensureRunning() } catch { throw .cluster(error) }
    return cluster.url
  }

  /// Stops the embedded database; refused for a configured one.
  public static func stopEmbedded(
    databaseURL: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws(DocketError) {
    let cluster = try embedded(databaseURL, environment)
    do { try cluster.stop() } catch { throw .cluster(error) }
  }

  private static func embedded(_ databaseURL: String?, _ environment: [String: String]) throws(DocketError)
    -> LocalCluster
  {
    let choice = DatabaseChoice.resolve(flag: databaseURL, environment: environment)
    guard case .embedded(let cluster) = choice else {
      throw .refused(
        "The database in use comes from \(choice.origin); docket starts and stops only its embedded database."
      )
    }
    return cluster
  }
}
