import ArgumentParser
import DocketService
import Foundation

/// Where a passphrase comes from: the terminal without echo, or, for scripts, a file descriptor or
/// a file that only its owner may read. Never argv or the environment, where other users and logs
/// see them.
struct PassphraseSource {
  var fd: Int32?
  var file: String?
  /// Whom the terminal prompt asks: "passphrase of l1".
  var prompt: String

  /// The passphrase; `confirm` asks a terminal twice (a new passphrase).
  func read(confirm: Bool = false) throws(DocketError) -> String {
    if let file { return try Self.read(file: file) }
    if let fd { return try Self.read(fd: fd, what: "file descriptor \(fd)") }
    let first = try Self.ask("\(prompt): ")
    if confirm {
      guard try Self.ask("\(prompt) again: ") == first else {
        throw .invalid("The two passphrases differ; nothing was changed.")
      }
    }
    return first
  }

  /// The first line of a file that is its owner's alone (mode 0600 or stricter).
  static func read(file path: String) throws(DocketError) -> String {
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw .usage("The passphrase file \(path) cannot be read: \(String(cString: strerror(errno))).")
    }
    guard info.st_mode & 0o077 == 0 else {
      throw .usage(
        "The passphrase file \(path) can be read by other users; run 'chmod 600 \(path)' (and consider the passphrase seen)."
      )
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .usage("The passphrase file \(path) cannot be read: \(String(cString: strerror(errno))).")
    }
    defer { close(descriptor) }
    return try read(fd: descriptor, what: "the passphrase file \(path)")
  }

  /// The first line read from `fd`, without its line end.
  static func read(fd: Int32, what: String) throws(DocketError) -> String {
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while bytes.count < 64 << 10 {
      let count = Foundation.read(fd, &buffer, buffer.count)
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else {
        throw .usage("The passphrase could not be read from \(what): \(String(cString: strerror(errno))).")
      }
      if count == 0 { break }
      bytes += buffer[..<count]
      if buffer[..<count].contains(UInt8(ascii: "\n")) { break }
    }
    let line = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first ?? []
    let text = String(decoding: line, as: UTF8.self)
    return text.hasSuffix("\r") ? String(text.dropLast()) : text
  }

  /// Asks on the controlling terminal with echo off.
  static func ask(_ prompt: String) throws(DocketError) -> String {
    let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
    guard tty >= 0 else {
      throw .usage(
        "There is no terminal to ask the passphrase on; give it with --passphrase-fd N or --passphrase-file FILE (mode 0600)."
      )
    }
    defer { close(tty) }
    var saved = termios()
    let canSilence = tcgetattr(tty, &saved) == 0
    if canSilence {
      var silent = saved
      silent.c_lflag &= ~tcflag_t(ECHO)
      tcsetattr(tty, TCSAFLUSH, &silent)
    }
    defer {
      if canSilence { tcsetattr(tty, TCSAFLUSH, &saved) }
      _ = Foundation.write(tty, "\n", 1)
    }
    _ = Foundation.write(tty, prompt, prompt.utf8.count)
    return try read(fd: tty, what: "the terminal")
  }
}

/// The passphrases of the custodians present for an act: the actor's own, and a second
/// custodian's (`--with`) when the reveal quorum is 2.
struct CustodianOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp("Read your passphrase from this file descriptor (its first line).", valueName: "N"))
  var passphraseFd: Int32?
  @Option(
    help: ArgumentHelp("Read your passphrase from this file, mode 0600 (its first line).", valueName: "FILE"))
  var passphraseFile: String?
  @Option(name: .customLong("with"), help: "A second custodian present at once (a reveal quorum of 2).")
  var with: String?
  @Option(help: ArgumentHelp("The second custodian's passphrase from this file descriptor.", valueName: "N"))
  var withPassphraseFd: Int32?
  @Option(
    help: ArgumentHelp("The second custodian's passphrase from this file, mode 0600.", valueName: "FILE"))
  var withPassphraseFile: String?

  /// The custodians present for `act`, the actor first, once docket has checked that the actor may
  /// do it at all: nobody is asked a passphrase for an act they would be refused.
  func custodians(_ docket: Docket, actor: String?, act: String, ref: String? = nil) throws(DocketError)
    -> [CustodianPassphrase]
  {
    try docket.requireCustodian(actor: actor, act: act, ref: ref)
    return try custodians(try docket.actor(actor).login)
  }

  /// The custodians present, `login` first (the actor, or whoever `--custodian` names).
  func custodians(_ login: String) throws(DocketError) -> [CustodianPassphrase] {
    var given = [
      CustodianPassphrase(
        login: login,
        passphrase: try PassphraseSource(
          fd: passphraseFd, file: passphraseFile, prompt: "passphrase of \(login)"
        )
        .read())
    ]
    if let with {
      given.append(
        CustodianPassphrase(
          login: with,
          passphrase: try PassphraseSource(
            fd: withPassphraseFd, file: withPassphraseFile, prompt: "passphrase of \(with)"
          ).read()))
    }
    return given
  }
}

/// A new passphrase: a new custodian's, or one's own changed.
struct NewPassphraseOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Read the new passphrase from this file descriptor.", valueName: "N"))
  var newPassphraseFd: Int32?
  @Option(help: ArgumentHelp("Read the new passphrase from this file, mode 0600.", valueName: "FILE"))
  var newPassphraseFile: String?

  func read(for login: String) throws(DocketError) -> String {
    try PassphraseSource(fd: newPassphraseFd, file: newPassphraseFile, prompt: "new passphrase of \(login)")
      .read(
        confirm: true)
  }
}
