import DocketCore
import DocketMail
import DocketStore
import Foundation

/// An open docket: one connection to the database in use and the office's settings. It holds no
/// key: it seals to the office's public key, and opens only with custodians' passphrases. Each public method is one use case that takes the actor and checks permission; those that
/// change something run in one transaction and write the journal.
public final class Docket {
  /// The one connection; internal, so that every front end goes through the use cases.
  let db: Connection
  public let choice: DatabaseChoice
  /// The office's time zone and reference pattern, read at open.
  public internal(set) var office: Office
  let environment: [String: String]
  let sqlDirectory: URL?
  /// The clock; tests may set it to enter history deterministically.
  public var now: () -> Date = { Date() }
  /// Envelopes a key rotation moves per transaction; tests lower it to stop one halfway.
  var rotationBatch = 2_000
  /// The scrypt cost of passphrases set through this docket; tests lower it.
  public var passphraseCost = PassphraseCost.current
  /// Told how long work advances (``ProgressReport``); the command line draws a progress line.
  public var progress: (@Sendable (ProgressReport) -> Void)?
  /// Set by ``actor(_:)`` when an administrator acts in someone else's name.
  var onBehalf: OnBehalf?

  init(
    db: Connection, choice: DatabaseChoice, environment: [String: String], sqlDirectory: URL?
  ) throws(DocketError) {
    self.db = db
    self.sqlDirectory = sqlDirectory
    self.choice = choice
    self.environment = environment
    self.office = .standard
    self.office = try loadOffice()
  }

  /// Opens the database chosen by `databaseURL`, `DOCKET_DATABASE_URL`, the PG* environment or the
  /// embedded cluster. The embedded cluster is created, started, migrated and initialised on first use;
  /// a configured database must have been set up with `docket db init`.
  /// With `checkSchema` false (for `db init`, `db migrate`, `db status`) nothing is migrated or checked;
  /// with `starting` false a stopped embedded cluster is not started, and connecting fails.
  public static func open(
    databaseURL: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
    sqlDirectory: URL? = nil, checkSchema: Bool = true, starting: Bool = true
  ) throws(DocketError) -> Docket {
    let choice = DatabaseChoice.resolve(flag: databaseURL, environment: environment)
    let db = try connect(choice, starting: starting)
    let docket = try Docket(db: db, choice: choice, environment: environment, sqlDirectory: sqlDirectory)
    guard checkSchema else { return docket }
    let migrator = try Self.migrator(sqlDirectory, environment)
    let statuses: [MigrationStatus]
    do { statuses = try migrator.status(db) } catch { throw .migration(error) }
    if let changed = statuses.first(where: \.changed) {
      throw .migration(.changed(changed.migration.name))
    }
    let pending = statuses.filter { $0.appliedAt == nil }.map(\.migration)
    if !pending.isEmpty {
      guard choice.isEmbedded else {
        throw .refused(
          "The database has \(pending.count) migration(s) to apply (first: \(pending[0].name)); run 'docket db migrate' (or 'docket db init' for a new database)."
        )
      }
      try docket.initialize(migrator: migrator)
    }
    return docket
  }

  /// Connects, starting (and on first use creating) the embedded cluster when that is the choice.
  static func connect(_ choice: DatabaseChoice, starting: Bool = true) throws(DocketError) -> Connection {
    if case .embedded(let cluster) = choice, starting {
      // Fast path: the server is usually running, and a failed connect costs less than a lock.
      if cluster.exists, let db = try? Connection(conninfo: cluster.conninfo) { return db }
      do { try cluster.ensureRunning() } catch { throw .cluster(error) }
    }
    do { return try Connection(conninfo: choice.conninfo) } catch { throw .database(error) }
  }

  /// `$DOCKET_HOME`, else the default: where the embedded cluster, the pin file and an older
  /// docket's key file live.
  public var home: URL { LocalCluster.defaultHome(environment: environment) }

  func migrator() throws(DocketError) -> Migrator { try Self.migrator(sqlDirectory, environment) }

  static func migrator(_ directory: URL?, _ environment: [String: String]) throws(DocketError) -> Migrator {
    do {
      if let directory { return try Migrator(directory: directory) }
      return try Migrator(directory: try Migrator.locateDirectory(environment: environment))
    } catch { throw .migration(error) }
  }

  func loadOffice() throws(DocketError) -> Office {
    let settings: [String: String]
    do {
      settings = try SettingsRepository(db).all()
    } catch let error where error.sqlState == SQLState.undefinedTable {
      return .standard
    } catch { throw .database(error) }
    settingsReadAtOpen = settings
    return try Office(settings: settings)
  }

  /// The settings as ``loadOffice()`` read them, once: the first clock engine is made from them
  /// rather than reading them again (``loadClockEngine()``). A policy or calendar change committed
  /// since bumped their `clock_generation`, which a registration checks under the journal's head.
  func takeSettingsReadAtOpen() -> [String: String]? {
    defer { settingsReadAtOpen = nil }
    return settingsReadAtOpen
  }
  private var settingsReadAtOpen: [String: String]?

  /// Runs `body` in one transaction; a failure inside rolls everything back.
  func transaction<T>(
    _ isolation: Connection.Isolation = .readCommitted, _ body: () throws(DocketError) -> T
  ) throws(DocketError) -> T {
    // What a transaction reads once and keeps (``TransactionCache``) is forgotten when it ends.
    transactionCache = TransactionCache()
    defer { transactionCache = nil }
    do {
      return try db.transaction(isolation: isolation, body)
    } catch { throw Self.unwrapped(error) }
  }

  /// A transaction's or savepoint's failure as the error it is: the database's, or the body's own.
  private static func unwrapped(_ error: TransactionError<DocketError>) -> DocketError {
    switch error {
    case .database(let error): .database(error)
    case .body(let error): error
    }
  }

  /// Runs `body` under a savepoint of the transaction in progress (``Connection/savepoint(_:)``).
  func savepoint<T>(_ body: () throws(DocketError) -> T) throws(DocketError) -> T {
    let before = transactionCache
    do {
      return try db.savepoint(body)
    } catch {
      // Rolling back to the savepoint released the locks taken since (the rotation lock the key
      // check holds among them): what was learnt under them must be learnt again.
      transactionCache = before
      throw Self.unwrapped(error)
    }
  }

  /// Runs one statement's worth of store access, turning its errors into ``DocketError``.
  func store<T>(_ body: () throws -> T) throws(DocketError) -> T {
    do {
      return try body()
    } catch let error as DatabaseError {
      throw .database(error)
    } catch let error as DocketError {
      throw error
    } catch {
      throw .database(DatabaseError(kind: .decoding, message: "\(error)"))
    }
  }

  /// The key in use and the matching key as a transaction last read them (``sealer()``), checked
  /// again by every envelope written.
  var sealingKeys: (key: StoredOfficeKey, matching: [UInt8])?
  /// Set while a transaction of ``transaction(_:_:)`` runs.
  var transactionCache: TransactionCache?
  /// Kept between messages of a batch: its charset converters are opened once.
  var cachedMailParser: MailParser?
}

/// The office's settings that every use case needs.
public struct Office: Sendable {
  public var time: OfficeTime
  public var referencePattern: ReferencePattern

  static let standard = Office(time: .beijing, referencePattern: .standard)

  init(time: OfficeTime, referencePattern: ReferencePattern) {
    self.time = time
    self.referencePattern = referencePattern
  }

  init(settings: [String: String]) throws(DocketError) {
    let zoneName = settings["office_timezone"] ?? "Asia/Shanghai"
    guard let zone = TimeZone(identifier: zoneName) else {
      throw .invalid(
        "The office time zone '\(zoneName)' is not known; set an IANA name such as Asia/Shanghai.")
    }
    do {
      referencePattern = try ReferencePattern(
        settings["reference_pattern"] ?? ReferencePattern.standard.pattern)
    } catch { throw .from(error) }
    time = OfficeTime(timeZone: zone)
  }
}

/// What one transaction reads once and reuses: a mailbox group registers fifty items in one, and
/// each would otherwise read the policy, the calendar and the key's fingerprint again.
struct TransactionCache {
  var engine: (engine: ClockEngine, generation: String)?
  /// The envelope this transaction seals in (``Docket/sealer()``).
  var sealer: Sealer?
}
