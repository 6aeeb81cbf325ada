import Crypto
import Foundation

/// The file that holds the identity secret: `$DOCKET_KEY_FILE`, else `$DOCKET_HOME/identity.key`.
///
/// Created once by `docket db init` with mode 0600 and never overwritten; a backup of the database
/// is useless for identities without it, and whoever holds both can read them, so keep them apart.
public struct KeyFile: Sendable {
  public let url: URL

  public init(url: URL) { self.url = url }

  public static func locate(home: URL, environment: [String: String]) -> KeyFile {
    if let path = environment["DOCKET_KEY_FILE"], !path.isEmpty {
      return KeyFile(url: URL(fileURLWithPath: path))
    }
    return KeyFile(url: home.appendingPathComponent("identity.key"))
  }

  public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

  /// Creates the file with a new random secret, failing if it already exists (O_EXCL), so that a
  /// second process or a second `db init` can never replace a key that identities are sealed with.
  public func create() throws(DocketError) -> IdentityVault {
    try? FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
      attributes: [.posixPermissions: 0o700])
    let secret = SymmetricKey(size: .bits256)
    let encoded = secret.withUnsafeBytes { Data($0).base64EncodedString() }
    let text = """
      # docket identity key. Keep it apart from database backups: without it reporters' identities
      # cannot be read; with it and a backup they can. Never edit or replace this file.
      \(encoded)

      """
    // Written and synced under a temporary name, then linked into place: link(2) fails if the key
    // exists (another process won the race), and a crash mid-write never leaves a half key behind.
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".identity.key.\(getpid()).\(UInt32.random(in: 0...UInt32.max))")
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      throw .identityKey(
        "The identity key file \(url.path) could not be created: \(String(cString: strerror(errno))).")
    }
    defer { unlink(temporary.path) }
    let bytes = Array(text.utf8)
    let written = write(descriptor, bytes, bytes.count) == bytes.count && fsync(descriptor) == 0
    close(descriptor)
    guard written else {
      throw .identityKey(
        "The identity key file \(url.path) could not be written: \(String(cString: strerror(errno))).")
    }
    guard link(temporary.path, url.path) == 0 else {
      if errno == EEXIST { return try load() }
      throw .identityKey(
        "The identity key file \(url.path) could not be created: \(String(cString: strerror(errno))).")
    }
    return IdentityVault(secret: secret)
  }

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
