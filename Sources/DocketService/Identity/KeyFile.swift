import Crypto
import Foundation

/// The file that held the identity secret of docket before 0018: `$DOCKET_KEY_FILE`, else
/// `$DOCKET_HOME/identity.key`. `docket db migrate` reads it once to re-seal what it sealed to the
/// office key (``Docket/upgradeSealing(keyFile:custodian:)``); nothing writes it any more but the
/// upgrade's tests, which make a database as an older docket left it.
public struct KeyFile: Sendable {
  public let url: URL

  public init(url: URL) { self.url = url }

  public static func locate(home: URL, environment: [String: String]) -> KeyFile {
    if let path = environment["DOCKET_KEY_FILE"], !path.isEmpty {
      return KeyFile(url: URL(fileURLWithPath: path))
    }
    return KeyFile(url: home.appendingPathComponent("identity.key"))
  }

  /// Creates the file with a new random secret, failing if it already exists (O_EXCL), so that a
  /// second process or a second `db init` can never replace a key that identities are sealed with.
  public func create() throws(DocketError) -> IdentityVault {
    let secret = SymmetricKey(size: .bits256)
    // Another process won the race: its key is the one.
    guard try install(secret) else { return try load() }
    return IdentityVault(secret: secret)
  }

  /// Writes `secret` to this path unless a file is there already (then returns false).
  ///
  /// Written and synced under a temporary name, then linked into place: link(2) fails if the key
  /// exists (another process won the race), and a crash mid-write never leaves a half key behind.
  /// The directory is synced too, so that the new name survives a power cut: a rotation commits
  /// only after this returns, and a database whose key file vanished with the cache is lost.
  private func install(_ secret: SymmetricKey) throws(DocketError) -> Bool {
    let directory = url.deletingLastPathComponent()
    try? FileManager.default.createDirectory(
      at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let encoded = secret.withUnsafeBytes { Data($0).base64EncodedString() }
    let text = """
      # docket identity key. Keep it apart from database backups: without it reporters' identities
      # cannot be read; with it and a backup they can. Never edit or replace it by hand
      # ('docket key rotate' replaces it).
      \(encoded)

      """
    let temporary = directory.appendingPathComponent(
      ".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max))")
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw .identityKey("The identity key file \(url.path) could not be created: \(Self.lastError).")
    }
    defer { unlink(temporary.path) }
    let bytes = Array(text.utf8)
    let written = write(descriptor, bytes, bytes.count) == bytes.count && fsync(descriptor) == 0
    let failure = Self.lastError
    close(descriptor)
    guard written else {
      throw .identityKey("The identity key file \(url.path) could not be written: \(failure).")
    }
    guard link(temporary.path, url.path) == 0 else {
      if errno == EEXIST { return false }
      throw .identityKey("The identity key file \(url.path) could not be created: \(Self.lastError).")
    }
    try syncDirectory()
    return true
  }

  private func syncDirectory() throws(DocketError) {
    let directory = url.deletingLastPathComponent().path
    let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw .identityKey(
        "The directory \(directory) of the identity key could not be opened: \(Self.lastError).")
    }
    defer { close(descriptor) }
    // Some file systems cannot sync a directory (EINVAL); they order the metadata themselves.
    guard fsync(descriptor) == 0 || errno == EINVAL else {
      throw .identityKey(
        "The directory \(directory) of the identity key could not be synced: \(Self.lastError).")
    }
  }

  private static var lastError: String { String(cString: strerror(errno)) }

  public func load() throws(DocketError) -> IdentityVault {
    var info = stat()
    guard stat(url.path, &info) == 0 else {
      throw .identityKey(
        "The identity key file \(url.path) is missing; restore it from where it was backed up, or set DOCKET_KEY_FILE."
      )
    }
    guard info.st_mode & 0o077 == 0 else {
      throw .identityKey(
        "The identity key file \(url.path) can be read by other users; run 'chmod 600 \(url.path)'.")
    }
    guard let text = try? String(contentsOf: url, encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { !$0.hasPrefix("#") && !$0.isEmpty }),
      let data = Data(base64Encoded: String(line)), data.count == 32
    else {
      throw .identityKey("The identity key file \(url.path) is not a docket key file.")
    }
    return IdentityVault(secret: SymmetricKey(data: data))
  }
}
