import Foundation

/// Runs the PostgreSQL server programs, as the unprivileged `postgres` user when docket runs as root
/// (the server refuses to run as root).
struct Subprocess {
  /// The account the server runs under when we are root.
  static let serverAccount = "postgres"

  static var isRoot: Bool { geteuid() == 0 }

  /// Runs `program` with `arguments`, returning its combined output, or throwing with that output.
  @discardableResult
  static func run(_ program: String, _ arguments: [String], asServerUser: Bool) throws(LocalClusterError) -> String {
    let process = Process()
    if asServerUser && isRoot {
      process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
      process.arguments = ["-u", serverAccount, "--", program] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: program)
      process.arguments = arguments
    }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      throw LocalClusterError.program(program, "could not be started: \(error.localizedDescription)")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard process.terminationStatus == 0 else {
      throw LocalClusterError.program(
        (program as NSString).lastPathComponent,
        "exited with status \(process.terminationStatus): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    return text
  }

  /// The uid and gid of the server account, for chown.
  static func serverIDs() throws(LocalClusterError) -> (uid_t, gid_t) {
    guard let entry = getpwnam(serverAccount) else {
      throw LocalClusterError.noServerAccount
    }
    return (entry.pointee.pw_uid, entry.pointee.pw_gid)
  }
}

/// An exclusive lock on a file, held until released; other processes wait for it.
final class FileLock {
  private let descriptor: Int32

  init(path: String) throws(LocalClusterError) {
    descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw LocalClusterError.filesystem(path, String(cString: strerror(errno)))
    }
    while flock(descriptor, LOCK_EX) != 0 {
      guard errno == EINTR else {
        close(descriptor)
        throw LocalClusterError.filesystem(path, String(cString: strerror(errno)))
      }
    }
  }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }
}
