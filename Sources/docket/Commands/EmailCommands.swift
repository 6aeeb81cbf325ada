import ArgumentParser
import DocketService
import Foundation

extension IntakeCommand {
  struct Email: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Register email: raw messages from files, standard input, a Maildir or an mbox.",
      discussion: """
        Each message becomes an item (channel email), or is added to its item when it replies to one from \
        the same sender, or creates nothing when it was taken in before. A message that cannot be read \
        goes to quarantine ('docket intake quarantine list'). Exit codes, for an MTA: 0 every message is \
        in the database (registered, added, known or quarantined); 65 an input was not email at all (it \
        is quarantined too; the same bytes again exit 0); 75 a message could not be taken in (the \
        database is unreachable, or intake is misconfigured): nothing of it was written, try again later.
        """,
      subcommands: [])

    @Argument(help: "Message files; - or none for standard input (as an MTA pipes it).") var files: [String] =
      []
    @Option(help: "Take every message in this Maildir's new/, moving each to cur/ once it is committed.")
    var maildir: String?
    @Option(help: "Take every message in this mbox file.") var mbox: String?
    @Flag(help: "Parse and print, without a database: nothing is registered and no file is moved.")
    var dryRun = false
    @Option(help: "Largest message in MB for --dry-run (intake uses the setting email_size_limit_mb).")
    var sizeLimit: Int?
    @Option(help: "When the mail arrived (default: a Maildir file's delivery time, else now).") var at:
      String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON: the parsed message(s) with --dry-run, else what became of each.") var json =
      false

    func validate() throws {
      if maildir != nil && mbox != nil { throw ValidationError("Give --maildir or --mbox, not both.") }
      if (maildir != nil || mbox != nil) && !files.isEmpty {
        throw ValidationError("Give message files or a mailbox, not both.")
      }
      if let sizeLimit, sizeLimit < 1 {
        throw ValidationError("--size-limit is a number of megabytes, at least 1.")
      }
    }

    func run() throws {
      let sources: [MailSource]
      do { sources = try MailSource.list(files: files, maildir: maildir, mbox: mbox) } catch {
        complain(error.description)
        throw ExitCode(error.exitCode)
      }
      let code = dryRun ? dryRunAll(sources) : try intakeAll(sources)
      if code != 0 { throw ExitCode(code) }
    }

    /// Parses each message and prints it; no database is opened.
    private func dryRunAll(_ sources: [MailSource]) -> Int32 {
      var code: Int32 = 0
      func parsed(_ source: MailSource) -> MailPreview? {
        switch source.preview(sizeLimitMB: sizeLimit) {
        case .parsed(let message): return message
        case .quarantined(let problem, let notMail):
          complain("\(source.origin): \(problem); it would go to quarantine.")
          if notMail { code = 65 }
        case .unreadable(let problem):
          complain("\(source.origin): \(problem)")
          code = max(code, 1)
        }
        return nil
      }
      let single = sources.count == 1 && maildir == nil && mbox == nil
      if json {
        if single {
          if let message = parsed(sources[0]) { write(mailJSON(message)) }
        } else {
          JSONValue.printArray(sources.lazy.compactMap(parsed).map(mailJSON), to: .standardOutput)
        }
      } else {
        for source in sources {
          guard let message = parsed(source) else { continue }
          write(mailSummary(message, origin: source.origin))
        }
      }
      return code
    }

    /// Registers the messages, a group per transaction (``Docket/intakeMail``); a Maildir file
    /// moves to cur/ after its group's commit.
    private func intakeAll(_ sources: [MailSource]) throws -> Int32 {
      let docket: Docket
      let arrivedAt: Date?
      do {
        docket = try connection.open()
        arrivedAt = try docket.time(at, option: "--at")
      } catch {
        complain(error.description)
        // A bad --at is the caller's typing; anything else keeps the message waiting (see below).
        throw ExitCode(error.isBadInput ? error.exitCode : 75)
      }
      var code: Int32 = 0
      var results: [JSONValue] = []
      do {
        try docket.intakeMail(sources, arrivedAt: arrivedAt, actor: actor.actor) { source, result in
          let taken: EmailIntakeResult
          switch result {
          case .unreadable(let problem):
            complain("\(source.origin): \(problem)")
            code = max(code, 1)
            return
          case .takenNotMoved(let result, let problem):
            complain("\(source.origin): \(problem); it is registered, and a second run will find it known.")
            code = max(code, 1)
            taken = result
          case .taken(let result): taken = result
          }
          // Not mail at all: 65 the first time; a fetcher offering the same bytes again is told 0,
          // since they are held already.
          if case .quarantined(_, _, true, false) = taken.outcome { code = max(code, 65) }
          if json {
            results.append(outcomeJSON(taken, origin: source.origin))
          } else {
            write(outcomeLine(taken, origin: source.origin))
          }
        }
      } catch {
        // Nothing of the group under way was written. Whatever the cause (the database, or a
        // setting such as the intake account's role), the messages must wait rather than bounce
        // back to the reporter: 75 makes an MTA queue them, and a sweep leaves them in new/.
        complain(error.description)
        if !results.isEmpty && json { write(.array(results)) }
        throw ExitCode(75)
      }
      if json { write(.array(results)) }
      return code
    }
  }
}
