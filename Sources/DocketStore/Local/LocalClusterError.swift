/// Why the embedded local cluster could not be created, started or stopped.
public enum LocalClusterError: Error, Sendable, CustomStringConvertible {
  case serverNotInstalled(searched: [String])
  case program(String, String)
  case filesystem(String, String)
  case noServerAccount
  case socketPathTooLong(String)
  /// pg_ctl could not start the server (a full disk, a socket or lock file in the way, a setting
  /// it refuses); with pg_ctl's words and the server log to read.
  case serverDidNotStart(String, log: String)

  /// Whether trying again later may succeed: the server did not start this time.
  public var isTemporary: Bool {
    if case .serverDidNotStart = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .serverNotInstalled(let searched):
      "The PostgreSQL server programs (initdb, pg_ctl) were not found in \(searched.joined(separator: ", ")); install the postgresql package or set DOCKET_PG_BINDIR."
    case .program(let name, let problem):
      "\(name) \(problem)"
    case .filesystem(let path, let problem):
      "Could not use \(path): \(problem)."
    case .noServerAccount:
      "docket runs as root, so the local database must run as the 'postgres' user, and there is none; install the postgresql package, which creates it."
    case .socketPathTooLong(let path):
      "The socket path \(path) is longer than Unix allows (107 bytes); set DOCKET_HOME to a shorter directory."
    case .serverDidNotStart(let problem, let log):
      "The local database could not be started (pg_ctl \(problem)); its log \(log) says why. Nothing was done; try again once that is put right."
    }
  }
}
