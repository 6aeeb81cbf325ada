import Foundation

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
