import Foundation

/// Runs the built `docket` binary as a user would, capturing what it prints and its exit code.
public struct CommandResult: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
}

public enum CLI {
  /// The `docket` executable built beside the test bundle.
  public static var executable: String {
    let bundle =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
      ?? CommandLine.arguments[0]
    var directory = URL(fileURLWithPath: bundle).deletingLastPathComponent()
    // The test binary sits inside docketPackageTests.xctest/ on some layouts.
    while directory.path != "/" {
      let candidate = directory.appendingPathComponent("docket").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return TestCluster.packageRoot.appendingPathComponent(".build/debug/docket").path
  }

  /// Runs `docket arguments…` with exactly `environment` (plus PATH), optionally feeding `input`.
  public static func run(_ arguments: [String], environment: [String: String], input: String? = nil) throws
    -> CommandResult
  {
    try spawn(executable, arguments, environment: environment, input: input, searchPath: false)
  }

  /// Runs another program found on PATH (chromium, pdftotext) with this process's environment.
  public static func runProgram(_ name: String, _ arguments: [String]) throws -> CommandResult {
    try spawn(name, arguments, environment: ProcessInfo.processInfo.environment, input: nil, searchPath: true)
  }

  private static func spawn(
    _ program: String, _ arguments: [String], environment: [String: String], input: String?, searchPath: Bool
  ) throws -> CommandResult {
    let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
      "docket-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outPath = scratch.appendingPathComponent("out").path
    let errPath = scratch.appendingPathComponent("err").path
    let inPath = scratch.appendingPathComponent("in").path
    _ = FileManager.default.createFile(atPath: inPath, contents: Data((input ?? "").utf8))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    var env = environment
    env["PATH"] = env["PATH"] ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    env["HOME"] = env["HOME"] ?? ProcessInfo.processInfo.environment["HOME"] ?? "/root"
    let argv = ([program] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let spawned =
      searchPath
      ? posix_spawnp(&pid, program, &actions, nil, argv, envp)
      : posix_spawn(&pid, program, &actions, nil, argv, envp)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    return CommandResult(
      status: code,
      // Decoded as is: a byte-order mark the program wrote stays visible to the test.
      stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
      stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
  }

  /// Starts several commands at the same moment and waits for all of them.
  public static func runConcurrently(_ commands: [[String]], environment: [String: String]) -> [CommandResult]
  {
    let results = LockedArray<CommandResult?>(count: commands.count)
    DispatchQueue.concurrentPerform(iterations: commands.count) { index in
      results[index] = try? run(commands[index], environment: environment)
    }
    return results.values.map { $0 ?? CommandResult(status: -1, stdout: "", stderr: "could not start") }
  }
}

/// A fixed-size array written from several threads.
final class LockedArray<T>: @unchecked Sendable {
  private var storage: [T]
  private let lock = NSLock()
  init(count: Int) where T == CommandResult? { storage = Array(repeating: nil, count: count) }
  subscript(index: Int) -> T {
    get { lock.withLock { storage[index] } }
    set { lock.withLock { storage[index] = newValue } }
  }
  var values: [T] { lock.withLock { storage } }
}
