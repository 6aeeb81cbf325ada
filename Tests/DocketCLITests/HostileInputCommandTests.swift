import DocketTestSupport
import Foundation
import Testing

/// What a hostile or careless sender can put in front of the real binary: SQL metacharacters in
/// every field, mail that is too big, too deep or not text, zip bombs, and arguments that are not
/// UTF-8. Each is stored unchanged, or refused or quarantined with a sentence; the binary never
/// dies of a signal and never leaves half an item behind.
@Suite("Hostile input through the docket binary")
struct HostileInputCommandTests {
  let test: TestDocket
  var environment: [String: String] { test.environment }

  init() throws {
    test = try TestDocket.make("hostile")
    try Office.staff(test.docket)
  }

  func docket(_ arguments: String...) throws -> CommandResult {
    try CLI.run(arguments, environment: environment)
  }

  func object(_ result: CommandResult) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
  }

  /// `show REF --json`'s item.
  func shown(_ ref: String) throws -> [String: Any] {
    try #require(try object(try docket("show", ref, "--as", "aud", "--json"))["item"] as? [String: Any])
  }

  func items() throws -> [[String: Any]] {
    let result = try docket("list", "--as", "aud", "--json")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
  }

  func file(_ name: String, _ bytes: [UInt8]) throws -> String {
    let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// Text that means something to SQL, to PostgreSQL's array and COPY formats, to shells and to
  /// terminals: each must be stored and shown as typed, and do nothing else.
  static let hostile = [
    "'; DROP TABLE items; --",
    "Robert'); DELETE FROM journal WHERE ('1'='1",
    "$1 $2::text $$ dollar-quoted $$",
    #"C:\path\to\x \\ \' E'\x00' \x00"#,
    #"\N"#,
    #"\."#,
    #"{NULL,"a\"b",c} ROW(1) ARRAY['x']"#,
    "%_% LIKE '%' \"quoted\"",
    "tab\there, line\nbreak; 😀 \u{202E}txet \u{200B}end",
  ]

  /// A list's accused cell names several people when it has separators (`王某、李某`); each of
  /// them is then a name of its own.
  static func accusedNames(_ text: String) -> [String] {
    guard text.unicodeScalars.contains(where: { "、，,；;".unicodeScalars.contains($0) }) else { return [text] }
    return text.split(whereSeparator: { "、，,；;".contains($0) }).map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    .filter { !$0.isEmpty }
  }

  // MARK: SQL metacharacters in every field

  /// The reporter's name and address carry the same metacharacters, but are not the subject's and
  /// summary's text itself: that would be taken out of them as the reporter's own (``Redactor``).
  static func asName(_ text: String) -> String { text + "（举报人）" }
  static func asAddress(_ text: String) -> String { text + "（地址）" }

  @Test("SQL metacharacters in every phone intake field round-trip unchanged and do nothing else")
  func phoneFields() throws {
    var refs: [String] = []
    for (index, text) in Self.hostile.enumerated() {
      let result = try docket(
        "intake", "phone", "--as", "reg", "--kind", "clue", "--subject", text, "--summary", text,
        "--category",
        text, "--accused", text, "--accused-unit", text, "--accused-rank", text, "--reporter-name",
        Self.asName(text), "--reporter-address", Self.asAddress(text), "--operator", text, "--at",
        "2021-09-28 10:0\(index)", "--json")
      #expect(result.status == 0, "\(text): \(result.stderr)")
      let item = try object(result)
      refs.append(try #require(item["ref"] as? String))
    }
    let boss = try test.person("boss")
    for (ref, text) in zip(refs, Self.hostile) {
      let fields = try shown(ref)
      #expect(fields["subject"] as? String == text)
      #expect(fields["summary"] as? String == text)
      #expect(fields["category"] as? String == text)
      let accused = try #require((fields["accused"] as? [[String: Any]])?.first)
      #expect(accused["name"] as? String == text)
      #expect(accused["unit"] as? String == text)
      #expect(accused["rank"] as? String == text)
      #expect((fields["channel_details"] as? [String: Any])?["operator"] as? String == text)
      let identity = try boss.reveal(ref, reason: "核实", actor: nil)
      #expect(identity.name == Self.asName(text))
      #expect(identity.address == Self.asAddress(text))
    }
    #expect(try items().count == Self.hostile.count)
    #expect(try docket("audit", "verify", "--as", "aud").status == 0)
  }

  @Test("SQL metacharacters in the validated fields (phone, email, ID number) are refused, naming the field")
  func validatedFields() throws {
    for option in ["--reporter-phone", "--reporter-email", "--reporter-id"] {
      for text in Self.hostile {
        let result = try docket(
          "intake", "phone", "--as", "reg", "--kind", "clue", "--subject", "线索", option, text)
        #expect(result.status == 65, "\(option) \(text): \(result.stdout) \(result.stderr)")
        #expect(!result.stderr.isEmpty && result.stdout.isEmpty)
      }
    }
    #expect(try items().isEmpty)
  }

  @Test("SQL metacharacters in every handover column round-trip unchanged through COPY and do nothing else")
  func handoverFields() throws {
    func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    var csv = "序号,来信日期,事由,内容摘要,问题类别,反映人,地址,被反映人,单位,职务,备注\r\n"
    for (index, text) in Self.hostile.enumerated() {
      csv +=
        "\(index + 1),2021-09-2\(index % 9),"
        + [text, text, text, Self.asName(text), Self.asAddress(text), text, text, text, text].map(quoted)
        .joined(separator: ",")
      csv += "\r\n"
    }
    let path = try file("移交清单.csv", [0xEF, 0xBB, 0xBF] + Array(csv.utf8))
    let result = try docket(
      "import", "handover", path, "--as", "reg", "--from", "省委第一巡视组';--", "--kind", "petition",
      "--handover-date", "2021-09-30", "--json")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(try object(result)["items"] as? Int == Self.hostile.count)
    let boss = try test.person("boss")
    let listed = try items()
    #expect(listed.count == Self.hostile.count)
    for item in listed {
      let ref = try #require(item["ref"] as? String)
      let fields = try shown(ref)
      let text = try #require(fields["summary"] as? String)
      #expect(Self.hostile.contains(text), "\(text)")
      #expect((fields["subject"] as? String)?.hasPrefix(text) == true, "\(fields["subject"] ?? "")")
      #expect(fields["category"] as? String == text)
      let accused = try #require(fields["accused"] as? [[String: Any]])
      let names = Self.accusedNames(text)
      #expect(accused.map { $0["name"] as? String } == names)
      #expect(accused.map { $0["unit"] as? String } == names)
      #expect(accused.map { $0["rank"] as? String } == names)
      let identity = try boss.reveal(ref, reason: "核实", actor: nil)
      #expect(identity.name == Self.asName(text))
      #expect(identity.address == Self.asAddress(text))
    }
    // The same texts written out for Excel, and read back in.
    let xlsx = path + ".xlsx"
    let exported = try docket("export", "items", "--as", "aud", "--format", "xlsx", "--out", xlsx)
    #expect(exported.status == 0, "\(exported.stderr)")
    let again = try docket(
      "import", "handover", xlsx, "--as", "reg", "--from", "案管室", "--kind", "petition", "--handover-date",
      "2021-10-01", "--dry-run", "--json")
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try docket("audit", "verify", "--as", "aud").status == 0)
  }

  // MARK: lists that are not text, or bombs

  @Test(
    "a zip bomb, a NUL byte and bytes that are not text in a handover list: exit 65, a sentence, nothing imported"
  )
  func hostileLists() throws {
    let fixtures = TestCluster.packageRoot.appendingPathComponent("Tests/DocketSheetsTests/Fixtures")
    var cases: [(path: String, says: String)] = []
    for name in ["bomb_declared.xlsx", "bomb_lying.xlsx"] {
      cases.append((fixtures.appendingPathComponent(name).path, "zip bomb"))
    }
    cases.append(
      (
        try file("nul.csv", Array("来信日期,内容摘要\r\n2021-09-20,反映\u{0}某事\r\n".utf8)),
        "row 2, column B holds a NUL byte"
      ))
    cases.append(
      (
        try file("binary.csv", Array("来信日期,内容摘要\r\n2021-09-20,反映".utf8) + [0xFF, 0xFE, 0x00, 0x81]),
        "neither UTF-8 nor GB18030"
      ))
    cases.append(
      (
        try file(
          "utf16.csv", [0xFF, 0xFE] + Array("来信日期".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })),
        "UTF"
      ))
    for (path, says) in cases {
      let result = try docket(
        "import", "handover", path, "--as", "reg", "--from", "省委第一巡视组", "--kind", "petition",
        "--handover-date", "2021-09-25")
      #expect(result.status == 65, "\(path): \(result.stderr)")
      #expect(result.stderr.contains(says), "\(path): \(result.stderr)")
      #expect(result.stderr.hasSuffix(".\n"), "\(result.stderr)")
    }
    #expect(try items().isEmpty)
  }

  // MARK: mail

  @Test("mail with NUL bytes and bytes that are not UTF-8 is registered, the bytes shown as U+FFFD")
  func hostileMail() throws {
    // A header with bytes that are not UTF-8 is read as GB18030 (what old Chinese mailers send), so
    // its text here is ASCII: the same either way.
    var raw = Array("From: \"a\u{0}b\" <nul@example.com>\r\nSubject: report\u{0}x ".utf8) + [0xFF, 0xFE]
    raw += Array("\r\nMessage-ID: <nul-1@example.com>\r\nDate: Mon, 29 Nov 2021 09:30:15 +0800\r\n".utf8)
    raw +=
      Array("Content-Type: text/plain; charset=utf-8\r\n\r\n正文\u{0}内容 ".utf8) + [0xC0, 0xAF] + [0x0D, 0x0A]
    let path = try file("nul.eml", raw)
    let result = try docket("intake", "email", path, "--as", "reg")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("registered"), "\(result.stdout)")
    let ref = try #require(try items().first?["ref"] as? String)
    let fields = try shown(ref)
    #expect(
      (fields["subject"] as? String)?.hasPrefix("report\u{FFFD}x \u{FFFD}") == true,
      "\(fields["subject"] ?? "")")
    #expect((fields["summary"] as? String)?.contains("正文\u{FFFD}内容") == true, "\(fields["summary"] ?? "")")
  }

  @Test("mail nested 10,000 deep is registered; a 100 MB header is quarantined as over the limit")
  func deepAndHugeMail() throws {
    var deep = "From: deep@example.com\r\nSubject: 嵌套\r\nMessage-ID: <deep@example.com>\r\n"
    deep +=
      "Content-Type: multipart/mixed; boundary=b0\r\n\r\n--b0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n外层正文\r\n"
    for level in 0..<10_000 {
      deep += "--b\(level)\r\nContent-Type: multipart/mixed; boundary=b\(level + 1)\r\n\r\n"
    }
    let registered = try docket("intake", "email", try file("deep.eml", Array(deep.utf8)), "--as", "reg")
    #expect(registered.status == 0, "\(registered.stderr)")
    #expect(registered.stdout.contains("registered"), "\(registered.stdout)")

    var huge = Array("From: huge@example.com\r\nSubject: ".utf8)
    huge += repeatElement(UInt8(ascii: "a"), count: 100 << 20)
    huge += Array("\r\n\r\nbody\r\n".utf8)
    let quarantined = try docket("intake", "email", try file("huge.eml", huge), "--as", "reg")
    #expect(quarantined.status == 0, "\(quarantined.stderr)")
    #expect(quarantined.stdout.contains("more than the limit of 26214400 bytes"), "\(quarantined.stdout)")
    let held = try docket("intake", "quarantine", "list", "--as", "reg", "--json")
    #expect(held.stdout.contains("more than the limit"), "\(held.stdout)")
    #expect(try items().count == 1)
  }

  // MARK: arguments that are not text

  /// Swift turns argument bytes that are not UTF-8 into U+FFFD without a word: a subject typed in a
  /// GBK terminal was registered as "��", and a GBK file name was reported as a missing file.
  @Test(
    "arguments that are not UTF-8, or hold control characters: exit 64 with a sentence, nothing written",
    arguments: [
      ["intake", "phone", "--as", "reg", "--kind", "clue", "--subject"].map { Array($0.utf8) } + [
        [0xB7, 0xB4, 0xD3, 0xB3]
      ],
      ["intake", "phone", "--as", "reg", "--kind", "clue", "--subject", "x", "--reporter-name"].map {
        Array($0.utf8)
      }
        + [[0xD5, 0xC5, 0xC8, 0xFD]],
      ["intake", "phone", "--as", "reg", "--kind", "clue", "--subject"].map { Array($0.utf8) } + [
        Array("红色\u{1B}[31m".utf8)
      ],
      ["intake", "phone", "--as", "reg", "--kind", "clue", "--subject"].map { Array($0.utf8) } + [
        [0x61, 0x07, 0x7F]
      ],
      ["intake", "phone", "--as", "reg", "--kind", "clue", "--subject"].map { Array($0.utf8) } + [
        [0xC2, 0x9B, 0x32, 0x4A]
      ],
      ["intake", "phone", "--as"].map { Array($0.utf8) } + [
        [0xC0, 0x80], Array("--subject".utf8), Array("x".utf8),
      ],
      [Array("intake".utf8), [0x70, 0x68, 0xFF, 0x6F, 0x6E, 0x65]],
      [
        Array("import".utf8), Array("handover".utf8),
        Array("/tmp/移交".utf8) + [0xC7, 0xE5, 0xB5, 0xA5, 0x2E, 0x63, 0x73, 0x76],
      ],
      [Array("list".utf8), Array("--subject".utf8), [0xED, 0xA0, 0x80]],
    ] as [[[UInt8]]])
  func rawArguments(arguments: [[UInt8]]) throws {
    let result = try RawCommand.run(CLI.executable, arguments, environment: environment)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("Argument "), "\(result.stderr)")
    #expect(
      result.stderr.hasSuffix(".\n") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stdout.isEmpty)
    // The sentence names the argument, never what it holds (it may be a reporter's name).
    #expect(!result.stderr.contains("\u{FFFD}") && !result.stderr.contains("红色"))
    #expect(try items().isEmpty)
  }

  @Test("tabs and line breaks in arguments are text, kept as typed")
  func tabsAndLineBreaks() throws {
    let result = try RawCommand.run(
      CLI.executable,
      ["intake", "phone", "--as", "reg", "--kind", "clue", "--subject", "第一行\n第二行\t完", "--json"].map {
        Array($0.utf8)
      },
      environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    let item = try #require(
      try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let ref = try #require(item["ref"] as? String)
    #expect(try shown(ref)["subject"] as? String == "第一行\n第二行\t完")
  }
}

/// Runs a program with arguments given as raw bytes (CLI.run takes Strings, which are UTF-8 by
/// construction), capturing what it prints. A death by signal comes back as 128 + the signal.
enum RawCommand {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ program: String, _ arguments: [[UInt8]], environment: [String: String]) throws -> Result {
    let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "docket-raw-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outPath = scratch.appendingPathComponent("out").path
    let errPath = scratch.appendingPathComponent("err").path
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var env = environment
    env["PATH"] = env["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    env["HOME"] = env["HOME"] ?? ProcessInfo.processInfo.environment["HOME"] ?? "/root"
    // Each argument as its bytes and a terminating NUL, copied by hand: no String in between.
    let argv: [UnsafeMutablePointer<CChar>?] =
      ([Array(program.utf8)] + arguments).map { bytes in
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
        pointer[bytes.count] = 0
        return pointer
      } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { pointer?.deallocate() }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, program, &actions, nil, argv, envp)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return Result(
      status: code,
      stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
      stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
  }
}
