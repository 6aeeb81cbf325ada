import DocketStore
import DocketTestSupport
import Foundation
import Testing

/// Issue 16's check, end to end from the command line: a database set up with `db init
/// --custodian`, registrars with no key material register by phone, post (with a scan), email (with
/// a signature) and a handover list; the dump holds none of it; reveals are refused on the record
/// until a custodian gives the right passphrase; a quorum of 2 needs two custodians.
@Suite("Confidentiality by design, as issue 16 checks it")
struct ConfidentialityCheckTests {
  static let secrets = [
    "欧阳秘密", "13912345678", "whistle.secret@example.cn", "司马隐名", "13787654321", "姓名：司马隐名",
    "TOKEN-scan-4Z8Q", "上官匿迹", "15011112222",
  ]

  @Test("intake holds no secret; the dump holds no identity; reveal needs a custodian, and two at quorum 2")
  func issueCheck() throws {
    let shared = TestCluster.shared
    let database = try shared.freshDatabase("check16")
    let conninfo = shared.conninfo(database: database)
    let home = shared.root.appendingPathComponent("\(database)-home")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    let base = [
      "DOCKET_DATABASE_URL": conninfo, "DOCKET_HOME": home.path, "DOCKET_SQL_DIR": shared.sqlDirectory.path,
    ]
    func docket(_ arguments: [String], role: String? = nil, input: String? = nil) throws -> CommandResult {
      var environment = base
      if let role { environment["DOCKET_DATABASE_URL"] = conninfo + " user=\(role)" }
      return try CLI.run(arguments, environment: environment, input: input)
    }
    func file(_ name: String, _ bytes: [UInt8], mode: Int = 0o600) throws -> String {
      let url = home.appendingPathComponent(name)
      _ = FileManager.default.createFile(
        atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: mode])
      return url.path
    }
    let admin = try Connection(conninfo: shared.conninfo(database: "postgres"))
    func role(_ login: String) throws -> String {
      let name = "c16_\(database)_\(login)".replacingOccurrences(of: ".", with: "_")
      try admin.run(script: "CREATE ROLE \(name) LOGIN")
      return name
    }

    // Set up: the office key and its first custodian, l1.
    let l1Pass = try file("l1.pass", Array("第一位保管人的口令 l1\n".utf8))
    let initialised = try docket([
      "db", "init", "--custodian", "l1", "--custodian-name", "领导一", "--passphrase-file", l1Pass,
    ])
    #expect(initialised.status == 0, "\(initialised.stderr)")
    let l1Role = try role("l1")
    #expect(try docket(["staff", "map", "l1", "--db-role", l1Role]).status == 0)
    let regRole = try role("reg")
    let h1Role = try role("h1")
    for arguments in [
      ["unit", "add", "第一纪检监察室"],
      ["staff", "add", "reg", "--name", "登记员", "--role", "registrar", "--db-role", regRole],
      ["staff", "add", "h1", "--name", "承办人", "--role", "handler", "--unit", "第一纪检监察室", "--db-role", h1Role],
    ] {
      let result = try docket(arguments)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }
    // No key file anywhere: docket never wrote one.
    let written = try FileManager.default.subpathsOfDirectory(atPath: home.path)
    #expect(written.allSatisfy { !$0.hasSuffix(".key") }, "\(written)")

    // The registrar, on their own role, with nothing but the database.
    let caller = try file("caller.json", Array(#"{"name": "欧阳秘密", "phone": "13912345678"}"#.utf8))
    let phone = try docket(
      ["intake", "phone", "--kind", "accusation", "--subject", "反映某局长收受红包", "--reporter-from", caller],
      role: regRole)
    #expect(phone.status == 0, "\(phone.stderr)")
    let phoneRef = String(phone.stdout.prefix { $0 != "\n" })
    let scan = try file("scan.pdf", Array("%PDF-1.4 TOKEN-scan-4Z8Q".utf8))
    let letter = try docket(
      [
        "intake", "letter", "--kind", "accusation", "--subject", "反映某所长违规收费", "--reporter-email",
        "whistle.secret@example.cn", "--attach", scan,
      ], role: regRole)
    #expect(letter.status == 0, "\(letter.stderr)")
    let message = [
      "From: =?UTF-8?B?\(Data("司马隐名".utf8).base64EncodedString())?= <anon.sima@example.org>",
      "To: xfjb@example.gov.cn", "Subject: =?UTF-8?B?\(Data("反映某科长吃拿卡要".utf8).base64EncodedString())?=",
      "Date: Mon, 29 Nov 2021 09:30:00 +0800", "Message-ID: <check16@example.org>", "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
      "某科长办事吃拿卡要。", "", "此致", "敬礼", "姓名：司马隐名", "电话：13787654321", "",
    ].joined(separator: "\r\n")
    let email = try docket(["intake", "email", "-"], role: regRole, input: message)
    #expect(email.status == 0, "\(email.stderr)")
    let list = try file(
      "移交清单.csv",
      Array(
        ("序号,来信日期,反映人,联系电话,问题类别,内容摘要\r\n" + "1,2021-09-20,上官匿迹,15011112222,涉警问题,反映某派出所乱收费\r\n").utf8))
    let handover = try docket(
      [
        "import", "handover", list, "--from", "省委第一巡视组", "--kind", "petition", "--handover-date",
        "2021-09-25",
      ],
      role: regRole)
    #expect(handover.status == 0, "\(handover.stderr)")

    // The dump holds none of it, as text or as hex.
    let dumpFile = home.appendingPathComponent("dump.sql")
    let pgDump = try #require(
      ["/usr/lib/postgresql/15/bin/pg_dump", "/usr/bin/pg_dump"].first {
        FileManager.default.isExecutableFile(atPath: $0)
      })
    let dumped = try CLI.runProgram(pgDump, ["--dbname=\(conninfo)", "--file=\(dumpFile.path)"])
    #expect(dumped.status == 0, "\(dumped.stderr)")
    let dump = try Data(contentsOf: dumpFile)
    #expect(dump.range(of: Data("反映某局长收受红包".utf8)) != nil)
    for secret in Self.secrets {
      #expect(dump.range(of: Data(secret.utf8)) == nil, "the dump holds \(secret)")
      let hex = secret.utf8.map { String(format: "%02x", $0) }.joined()
      #expect(dump.range(of: Data(hex.utf8)) == nil, "the dump holds \(secret) as hex")
    }

    // The handler's view of their item carries no identity value.
    #expect(try docket(["accept", phoneRef, "--as", "reg"]).status == 0)
    #expect(
      try docket(["assign", phoneRef, "--as", "l1", "--unit", "第一纪检监察室", "--handler", "h1"]).status == 0)
    let shown = try docket(["show", phoneRef, "--json"], role: h1Role)
    #expect(shown.status == 0, "\(shown.stderr)")
    for secret in Self.secrets { #expect(!shown.stdout.contains(secret)) }

    // Reveal: refused without a passphrase, with a wrong one, and for a non-custodian, on the record.
    let reveal = ["reveal", phoneRef, "--reason", "核实举报人身份", "--passphrase-fd", "0"]
    let none = try docket(reveal, role: l1Role, input: "\n")
    #expect(none.status == 1 && none.stderr.contains("No passphrase"), "\(none.stderr)")
    let wrong = try docket(reveal, role: l1Role, input: "不是这个\n")
    #expect(wrong.status == 1 && wrong.stderr.contains("wrong"), "\(wrong.stderr)")
    let registrar = try docket(reveal, role: regRole, input: "随便\n")
    #expect(registrar.status == 1, "\(registrar.stderr)")
    let right = try docket(reveal + ["--json"], role: l1Role, input: "第一位保管人的口令 l1\n")
    #expect(right.status == 0, "\(right.stderr)")
    #expect(right.stdout.contains("欧阳秘密") && right.stdout.contains("13912345678"))
    let log = try docket(["audit", "log", phoneRef, "--json"])
    #expect(log.stdout.components(separatedBy: "custodian_refused").count - 1 == 3, "\(log.stdout)")
    #expect(log.stdout.contains("identity_revealed"))
    for secret in Self.secrets { #expect(!log.stdout.contains(secret)) }

    // Quorum 2: a second custodian, then one alone is refused and two succeed.
    #expect(
      try docket(["staff", "add", "l2", "--name", "领导二", "--role", "leader", "--db-role", try role("l2")])
        .status == 0)
    let l2Pass = try file("l2.pass", Array("第二位保管人的口令 l2\n".utf8))
    let added = try docket(
      ["key", "custodian", "add", "l2", "--passphrase-file", l1Pass, "--new-passphrase-file", l2Pass],
      role: l1Role)
    #expect(added.status == 0, "\(added.stderr)")
    let quorum = try docket(
      ["policy", "set", "reveal_quorum", "2", "--passphrase-file", l1Pass], role: l1Role)
    #expect(quorum.status == 0, "\(quorum.stderr)")
    let alone = try docket(["reveal", phoneRef, "--reason", "核实", "--passphrase-file", l1Pass], role: l1Role)
    #expect(alone.status == 1 && alone.stderr.contains("--with"), "\(alone.stderr)")
    let together = try docket(
      [
        "reveal", phoneRef, "--reason", "核实", "--passphrase-file", l1Pass, "--with", "l2",
        "--with-passphrase-file", l2Pass,
      ],
      role: l1Role)
    #expect(together.status == 0, "\(together.stderr)")
    #expect(together.stdout.contains("欧阳秘密"))
    let verify = try docket(["audit", "verify"])
    #expect(verify.status == 0, "\(verify.stderr)")
  }
}
