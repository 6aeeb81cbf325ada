import DocketCore
import DocketMail
import DocketStore
import Foundation

/// One message to take in: a file, standard input, a Maildir entry or an mbox message, and how to
/// mark it handled once it is committed.
public struct MailSource: Sendable {
  /// Where it came from, for messages and the quarantine list (`maildir:NAME`, `mbox:FILE#3`).
  public let origin: String
  /// When the message reached the office, if its file says so; read only for intake.
  let deliveredAt: @Sendable () -> Date?
  /// The message's bytes (for `--dry-run` too, which opens no database).
  public let read: @Sendable () throws -> [UInt8]
  let markHandled: @Sendable () throws -> Void

  /// Every message of a Maildir's `new/` (moved to `cur/` once committed), of an mbox file, or of
  /// the files named (`-` or none: standard input, as an MTA pipes a message).
  public static func list(files: [String], maildir: String?, mbox: String?) throws(DocketError)
    -> [MailSource]
  {
    do {
      return try sources(files: files, maildir: maildir, mbox: mbox)
    } catch {
      throw .usage(error.description)
    }
  }

  private static func sources(files: [String], maildir: String?, mbox: String?) throws(MailboxError)
    -> [MailSource]
  {
    if let maildir {
      let box = try Maildir(maildir)
      return try box.waiting().map { entry in
        MailSource(
          origin: "maildir:" + entry.name,
          deliveredAt: {
            (try? FileManager.default.attributesOfItem(atPath: entry.path))?[.modificationDate] as? Date
          },
          read: { try box.read(entry) }, markHandled: { try box.markHandled(entry) })
      }
    }
    if let mbox {
      guard let data = FileManager.default.contents(atPath: mbox) else {
        throw .unreadable(mbox, "it does not exist or cannot be read")
      }
      return Mbox.messages(in: [UInt8](data)).enumerated().map { index, message in
        MailSource(
          origin: "mbox:\(mbox)#\(index + 1)", deliveredAt: { nil }, read: { message }, markHandled: {})
      }
    }
    return (files.isEmpty ? ["-"] : files).map { name in
      if name == "-" {
        return MailSource(
          origin: "stdin", deliveredAt: { nil },
          read: { [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }, markHandled: {})
      }
      return MailSource(
        origin: name, deliveredAt: { nil },
        read: {
          guard let data = FileManager.default.contents(atPath: name) else {
            throw MailboxError.unreadable(name, "it does not exist or cannot be read")
          }
          return [UInt8](data)
        }, markHandled: {})
    }
  }
}

/// What became of one message source.
public enum MailSourceResult: Sendable {
  /// In the database: registered, added, known or quarantined; and marked handled.
  case taken(EmailIntakeResult)
  /// In the database, but its file could not be moved to `cur/`; a second run finds it known.
  case takenNotMoved(EmailIntakeResult, problem: String)
  /// The file could not be read; nothing of it was written.
  case unreadable(problem: String)
}

extension Docket {
  /// Takes in every message of `sources`, `group` messages per transaction, and reports each
  /// in order once its group is committed; a Maildir message moves to `cur/` only then. A crash or
  /// a lost database loses nothing and doubles nothing: an uncommitted group's messages stay in
  /// `new/`, and a committed message whose file was not moved yet is found known next time.
  ///
  /// Messages are read and parsed before their group's transaction, so that the journal's head is
  /// held only for the writes.
  ///
  /// - Throws: what retrying may cure (the database is unreachable), or what the actor may not do;
  ///   the messages of the group under way and after it are then left for the next run.
  public func intakeMail(
    _ sources: [MailSource], arrivedAt: Date? = nil, group: Int = 50, actor login: String?,
    report: (MailSource, MailSourceResult) -> Void
  ) throws(DocketError) {
    let actor = try actor(login)
    try require(actor, .register, "register items")
    let rules = try emailRules()
    var next = 0
    while next < sources.count {
      // Up to `group` messages, and no more than ``groupBytes`` of them held at once.
      let start = next
      var read: [Result<ParsedMail, DocketError>] = []
      var bytes = 0
      while next < sources.count, read.count < max(group, 1), bytes < Self.groupBytes {
        do {
          let raw = try sources[next].read()
          bytes += raw.count
          read.append(.success(parse(raw, rules: rules)))
        } catch {
          read.append(.failure(.invalid("\(error)")))
        }
        next += 1
      }
      let members = sources[start..<next]
      let arrivals = members.map { arrivedAt ?? $0.deliveredAt() ?? now() }
      // The reference counters every new item of the group may need, locked before the first event
      // takes the journal's head (``RegistrationRepository/lockCounters(_:)``).
      let counters = zip(arrivals, read).compactMap { at, parsed -> (year: Int, kind: Kind)? in
        guard case .success(let parsed) = parsed, case .success(let message) = parsed.message else {
          return nil
        }
        return (office.time.year(of: at), rules.kind(for: message).kind)
      }
      let results = try transaction { () throws(DocketError) -> [Result<EmailIntakeResult, DocketError>] in
        try store { try RegistrationRepository(db).lockCounters(counters) }
        var results: [Result<EmailIntakeResult, DocketError>] = []
        for ((source, at), parsed) in zip(zip(members, arrivals), read) {
          switch parsed {
          case .success(let parsed):
            results.append(
              .success(try takeIn(parsed, origin: source.origin, arrivedAt: at, rules: rules, actor: actor)))
          case .failure(let error): results.append(.failure(error))
          }
        }
        return results
      }
      advance(
        "email", "messages", done: start + members.count, total: sources.count,
        finished: start + members.count == sources.count)
      for (source, result) in zip(members, results) {
        switch result {
        case .failure(let error): report(source, .unreadable(problem: error.description))
        case .success(let taken):
          do {
            try source.markHandled()
            report(source, .taken(taken))
          } catch {
            report(source, .takenNotMoved(taken, problem: "\(error)"))
          }
        }
      }
    }
  }

  /// The most message bytes one group holds in memory (a few messages at the size limit).
  static let groupBytes = 64 << 20
}
