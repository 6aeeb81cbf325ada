import Foundation

/// A Maildir (new/, cur/, tmp/) as MTAs and getmail write it.
///
/// docket reads messages from new/ and moves each to cur/ only after its transaction has
/// committed, so a crash mid-batch leaves the rest in new/ and a second run finds them (one that
/// committed but was not yet moved is recognised by its Message-ID and creates nothing).
public struct Maildir: Sendable {
  public let path: String

  /// One message file waiting in new/.
  public struct Entry: Sendable {
    public let name: String
    public let path: String
  }

  public init(_ path: String) throws(MailboxError) {
    var isDirectory: ObjCBool = false
    for sub in ["new", "cur"] {
      guard FileManager.default.fileExists(atPath: path + "/" + sub, isDirectory: &isDirectory),
        isDirectory.boolValue
      else { throw .notMaildir(path) }
    }
    self.path = path
  }

  /// The messages in new/, oldest name first (Maildir names begin with the delivery time).
  public func waiting() throws(MailboxError) -> [Entry] {
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: path + "/new") } catch {
      throw .unreadable(path + "/new", error.localizedDescription)
    }
    return names.filter { !$0.hasPrefix(".") }.sorted().map { Entry(name: $0, path: path + "/new/" + $0) }
  }

  public func read(_ entry: Entry) throws(MailboxError) -> [UInt8] {
    try MailFile.read(entry.path)
  }

  /// Moves a handled message to cur/ with the Seen flag, as a mail reader would.
  public func markHandled(_ entry: Entry) throws(MailboxError) {
    let base = entry.name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? entry.name
    let target = path + "/cur/" + base + ":2,S"
    guard rename(entry.path, target) == 0 else {
      throw .cannotMove(entry.path, target, String(cString: strerror(errno)))
    }
  }
}

enum MailFile {
  static func read(_ path: String) throws(MailboxError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .unreadable(path, "it does not exist or cannot be read")
    }
    return [UInt8](data)
  }
}
