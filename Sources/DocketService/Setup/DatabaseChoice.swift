import DocketStore
import Foundation

/// Which database docket uses: `--database-url`, else `DOCKET_DATABASE_URL`, else the PG*
/// environment (so .pgpass and pg_service.conf apply), else the embedded cluster under `$DOCKET_HOME`.
public enum DatabaseChoice: Sendable {
  case url(String, origin: String)
  case environment(variables: [String])
  case embedded(LocalCluster)

  /// libpq's variables that say where to connect; any of them means "use the environment".
  public static let connectionVariables = [
    "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD", "PGPASSFILE", "PGSERVICE",
    "PGSERVICEFILE", "PGSSLMODE", "PGOPTIONS",
  ]

  public static func resolve(flag: String?, environment: [String: String]) -> DatabaseChoice {
    if let flag, !flag.isEmpty { return .url(flag, origin: "--database-url") }
    if let url = environment["DOCKET_DATABASE_URL"], !url.isEmpty {
      return .url(url, origin: "DOCKET_DATABASE_URL")
    }
    let present = connectionVariables.filter { environment[$0].map { !$0.isEmpty } ?? false }
    if !present.isEmpty { return .environment(variables: present) }
    return .embedded(LocalCluster(home: LocalCluster.defaultHome(environment: environment)))
  }

  /// The libpq connection string.
  public var conninfo: String {
    switch self {
    case .url(let url, _): url
    case .environment: ""
    case .embedded(let cluster): cluster.conninfo
    }
  }

  /// Where the choice came from, for `docket db status`.
  public var origin: String {
    switch self {
    case .url(_, let origin): origin
    case .environment(let variables): "environment (\(variables.joined(separator: ", ")))"
    case .embedded(let cluster): "embedded cluster in \(cluster.home.path)"
    }
  }

  public var isEmbedded: Bool {
    if case .embedded = self { return true }
    return false
  }
}
