import ArgumentParser
import DocketService
import Foundation

struct KeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "key", abstract: "The identity key that seals reporters' identities.",
    subcommands: [Rotate.self])

  struct Rotate: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Re-encrypt every reporter identity under a new key, in one transaction.",
      discussion: """
        The new key replaces the key file ($DOCKET_KEY_FILE, else $DOCKET_HOME/identity.key) once the \
        transaction has committed. Database backups taken before need the old key: keep a copy of it \
        with them, or destroy both.
        """)
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let rotation = try docket.rotateIdentityKey(actor: actor.actor)
      if json {
        return write(
          JSONValue.object([
            ("identities", .number(Int64(rotation.identities))),
            ("key_file", .string(docket.keyFile.url.path)),
            ("messages", .number(Int64(rotation.messages))),
            ("new_key_id", .string(rotation.newKeyID)),
            ("old_key_id", .string(rotation.oldKeyID)),
            ("quarantined", .number(Int64(rotation.quarantined))),
          ]))
      }
      let counts = [
        count(rotation.identities, "reporter identity", "reporter identities"),
        count(rotation.messages, "email message", "email messages"),
        count(rotation.quarantined, "quarantined message", "quarantined messages"),
      ]
      write(
        """
        Identity key rotated: \(rotation.oldKeyID) → \(rotation.newKeyID).
        Sealed again under the new key: \(counts.joined(separator: ", ")).
        The new key is in \(docket.keyFile.url.path); back it up apart from the database.
        Database backups taken before need the old key: keep it with them, or destroy both.

        """)
    }

    private func count(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
  }
}
