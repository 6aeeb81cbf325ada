import Foundation

/// Runs the PostgreSQL server programs, as the unprivileged `postgres` user when docket runs as root
/// (the server refuses to run as root).
struct Subprocess {
  /// The account the server runs under when we are root.
  static let serverAccount = "postgres"

  static var isRoot: Bool { geteuid() == 0 }

  /// Held while a new pipe is not yet close-on-exec, and while spawning.
  private static let spawnLock = NSLock()

  /// Runs `program` with `arguments`, returning its combined output, or throwing with that output.
  ///
  /// posix_spawn and waitpid rather than Foundation's Process: the server that pg_ctl leaves running
  /// must not keep the caller waiting, and Process's child reaping has hung here on Linux.
  @discardableResult
  static func run(_ program: String, _ arguments: [String], asServerUser: Bool) throws(LocalClusterError)
    -> String
  {
    let argv =
      asServerUser && isRoot
      ? ["/usr/sbin/runuser", "-u", serverAccount, "--", program] + arguments : [program] + arguments
    var pipeEnds: [Int32] = [0, 0]
    // Close-on-exec, so that a program another thread spawns meanwhile (pg_ctl, and the server it
    // leaves running) does not inherit this pipe and keep it open, which would make the read below
    // wait for ever. The child's copies on fds 1 and 2 (dup2) are not close-on-exec. The lock keeps
    // other spawns out of the moment between pipe and fcntl (pipe2 is not visible from Swift).
    spawnLock.lock()
    guard pipe(&pipeEnds) == 0 else {
      spawnLock.unlock()
      throw .program(program, "could not be started: \(String(cString: strerror(errno)))")
    }
    _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
    spawnLock.unlock()
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
    posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
    posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
    posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
    var pid: pid_t = 0
    let cArguments = argv.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    let spawned = spawnLock.withLock { posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ) }
    close(pipeEnds[1])
    guard spawned == 0 else {
      close(pipeEnds[0])
      throw .program(program, "could not be started: \(String(cString: strerror(spawned)))")
    }
    var output = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = read(pipeEnds[0], &buffer, buffer.count)
      if count > 0 {
        output += buffer[0..<count]
      } else if count == 0 || errno != EINTR {
        break
      }
    }
    close(pipeEnds[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    let exited = status & 0x7f == 0
    let code = (status >> 8) & 0xff
    guard exited && code == 0 else {
      throw .program(
        (program as NSString).lastPathComponent,
        exited ? "exited with status \(code): \(text)" : "was killed by signal \(status & 0x7f): \(text)")
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
