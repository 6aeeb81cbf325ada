/// Why the embedded local cluster could not be created, started or stopped.
public enum LocalClusterError: Error, Sendable, CustomStringConvertible {
  case serverNotInstalled(searched: [String])
  case program(String, String)
  case filesystem(String, String)
  case noServerAccount
  case socketPathTooLong(String)

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
    }
  }
}
