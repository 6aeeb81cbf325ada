import Crypto
import Foundation

/// The file that holds the identity secret: `$DOCKET_KEY_FILE`, else `$DOCKET_HOME/identity.key`.
///
/// Created once by `docket db init` with mode 0600 and replaced only by `docket key rotate`; a backup
/// of the database is useless for identities without it, and whoever holds both can read them, so
/// keep them apart.
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

  /// Where a key rotation keeps the new key until its transaction has committed: beside the key
  /// file (`identity.key.next`), in the same directory so that moving it over the key file is one
  /// atomic rename(2).
  public var next: KeyFile {
    KeyFile(url: url.deletingLastPathComponent().appendingPathComponent(url.lastPathComponent + ".next"))
  }

  /// Creates the file with a new random secret, failing if it already exists (O_EXCL), so that a
  /// second process or a second `db init` can never replace a key that identities are sealed with.
  public func create() throws(DocketError) -> IdentityVault {
    let secret = SymmetricKey(size: .bits256)
    // Another process won the race: its key is the one.
    guard try install(secret) else { return try load() }
    return IdentityVault(secret: secret)
  }

  /// Creates the file with a new random secret, refusing if it exists: the next key of a rotation,
  /// which must never replace a file somebody else wrote. It gets the owner of `replacing`, the key
  /// file it will replace: root rotating the key of a service account must not leave that account
  /// a key it cannot read.
  func createNew(replacing current: KeyFile) throws(DocketError) -> IdentityVault {
    let secret = SymmetricKey(size: .bits256)
    var info = stat()
    let owner = stat(current.url.path, &info) == 0 ? (info.st_uid, info.st_gid) : nil
    guard try install(secret, owner: owner) else {
      throw .identityKey(
        "The key file \(url.path) appeared while docket was about to write it; is another 'docket key rotate' running?"
      )
    }
    return IdentityVault(secret: secret)
  }

  /// Writes `secret` to this path unless a file is there already (then returns false).
  ///
  /// Written and synced under a temporary name, then linked into place: link(2) fails if the key
  /// exists (another process won the race), and a crash mid-write never leaves a half key behind.
  /// The directory is synced too, so that the new name survives a power cut: a rotation commits
  /// only after this returns, and a database whose key file vanished with the cache is lost.
  private func install(_ secret: SymmetricKey, owner: (uid_t, gid_t)? = nil) throws(DocketError) -> Bool {
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
    // Only root can give a file away, and only root can be rotating someone else's key.
    let owned = owner.map { $0 == (geteuid(), getegid()) || fchown(descriptor, $0.0, $0.1) == 0 } ?? true
    let written = owned && write(descriptor, bytes, bytes.count) == bytes.count && fsync(descriptor) == 0
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

  /// Moves this file over `target` with rename(2), which replaces it atomically: whatever happens,
  /// `target` holds either the old key or the new one, whole. Then syncs the directory, so that
  /// the move outlives a power cut.
  func move(over target: KeyFile) throws(DocketError) {
    guard rename(url.path, target.url.path) == 0 else {
      throw .identityKey(
        "The new identity key \(url.path) could not be moved over \(target.url.path): \(Self.lastError).")
    }
    try target.syncDirectory()
  }

  /// Removes this file if it is there; used for a rotation's next key that was never committed.
  func remove() throws(DocketError) {
    guard unlink(url.path) == 0 || errno == ENOENT else {
      throw .identityKey("The stale key file \(url.path) could not be removed: \(Self.lastError).")
    }
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

  /// The key in this file, after finishing a rotation that was interrupted between its COMMIT and
  /// moving the new key into place: when this file's key is not `expected` (the database's key
  /// id) and the `.next` file's is, the `.next` file is moved over this one and its key returned.
  ///
  /// Otherwise this file's key, whether it is `expected` or not: the caller says what a mismatch
  /// means. A `.next` file whose key is not the database's was never committed; it is left alone
  /// here, and the next rotation removes it.
  public func load(finishingRotationTo expected: String?) throws(DocketError) -> IdentityVault {
    let current: Result<IdentityVault, DocketError>
    do { current = .success(try load()) } catch { current = .failure(error) }
    guard let expected, (try? current.get())?.keyID != expected, next.exists,
      let pending = try? next.load(), pending.keyID == expected
    else { return try current.get() }
    do {
      try next.move(over: self)
    } catch {
      // Another process finished the same rotation a moment earlier.
      if let moved = try? load(), moved.keyID == expected { return moved }
      throw error
    }
    return pending
  }
}
