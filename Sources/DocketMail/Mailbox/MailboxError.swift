/// Why a mailbox could not be read or updated.
public enum MailboxError: Error, Sendable, CustomStringConvertible {
  case notMaildir(String)
  case unreadable(String, String)
  case cannotMove(String, String, String)

  public var description: String {
    switch self {
    case .notMaildir(let path): "\(path) is not a Maildir: it needs new/ and cur/ folders"
    case .unreadable(let path, let why): "\(path) cannot be read: \(why)"
    case .cannotMove(let from, let to, let why): "\(from) could not be moved to \(to): \(why)"
    }
  }
}
