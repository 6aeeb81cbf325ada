import DocketStore
import DocketTestSupport
import Foundation
import Testing

@Suite("Authentication failures", .serialized)
struct AuthenticationTests {
  @Test("a wrong password fails at once with the server's own words, and is not worth retrying")
  func wrongPassword() throws {
    let shared = TestCluster.shared
    let admin = try Connection(conninfo: shared.conninfo(database: "postgres"))
    try admin.run(script: "DROP ROLE IF EXISTS pwuser")
    try admin.run(script: "CREATE ROLE pwuser LOGIN PASSWORD 'right-horse-battery'")
    // Only this role needs a password, on the test cluster's socket; everyone else stays trusted.
    let hba = shared.cluster.dataDirectory.appendingPathComponent("pg_hba.conf")
    let original = try String(contentsOf: hba, encoding: .utf8)
    try ("local all pwuser scram-sha-256\n" + original).write(to: hba, atomically: false, encoding: .utf8)
    defer {
      try? original.write(to: hba, atomically: false, encoding: .utf8)
      _ = try? admin.query("SELECT pg_reload_conf()")
    }
    try admin.query("SELECT pg_reload_conf()")
    Thread.sleep(forTimeInterval: 0.3)

    let socket = shared.cluster.socketDirectory.path
    let started = Date()
    let error = #expect(throws: DatabaseError.self) {
      try Connection(conninfo: "host='\(socket)' dbname=postgres user=pwuser password=wrong")
    }
    #expect(Date().timeIntervalSince(started) < 3)
    #expect(error?.kind == .connection)
    #expect(error?.message.contains("password authentication failed for user \"pwuser\"") == true)
    #expect(error?.isTemporary == false)
    let right = try Connection(
      conninfo: "host='\(socket)' dbname=postgres user=pwuser password=right-horse-battery")
    #expect(right.user == "pwuser")
  }
}
