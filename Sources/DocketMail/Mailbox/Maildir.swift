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

/// An mbox file: messages each after a `From ` line, with `>From ` quoting undone (mboxrd, which
/// also reads mboxo).
public enum Mbox {
  public static func messages(in bytes: [UInt8]) -> [[UInt8]] {
    var messages: [[UInt8]] = []
    var current: [UInt8]?
    var lineStart = 0
    var previousBlank = true
    while lineStart < bytes.count {
      var lineEnd = lineStart
      while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      let next = min(lineEnd + 1, bytes.count)
      let line = bytes[lineStart..<next]
      if previousBlank, line.starts(with: "From ".utf8) {
        if let message = current { messages.append(trimmed(message)) }
        current = []
      } else if current != nil {
        // mboxrd: `>From `, `>>From ` … lose one `>`.
        var quotes = line.startIndex
        while quotes < line.endIndex, line[quotes] == UInt8(ascii: ">") { quotes += 1 }
        if quotes > line.startIndex, line[quotes...].starts(with: "From ".utf8) {
          current!.append(contentsOf: line.dropFirst())
        } else {
          current!.append(contentsOf: line)
        }
      }
      let content = bytes[lineStart..<lineEnd]
      previousBlank = content.isEmpty || (content.count == 1 && content.first == 0x0D)
      lineStart = next
    }
    if let message = current { messages.append(trimmed(message)) }
    return messages
  }

  /// Without the blank line mbox puts before the next `From `.
  private static func trimmed(_ message: [UInt8]) -> [UInt8] {
    var message = message
    if message.last == 0x0A { message.removeLast() }
    if message.last == 0x0D { message.removeLast() }
    return message + [0x0A]
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
