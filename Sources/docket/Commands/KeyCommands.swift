import ArgumentParser
import DocketService
import Foundation

struct KeyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "key",
    abstract: "The office key everything naming a reporter is sealed to, and its custodians.",
    discussion: """
      Intake seals to the office's public key and holds no secret. The private key exists only \
      wrapped for custodians (leaders), each under their own passphrase; opening anything is a \
      custodian's act, journaled.
      """,
    subcommands: [KeyStatusCommand.self, Custodian.self, Passphrase.self, Rotate.self])

  struct KeyStatusCommand: DocketCommand {
    static let configuration = CommandConfiguration(
      commandName: "status", abstract: "The office key's fingerprint, its custodians, quorum and wraps.")
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let status = try docket.keyStatus(actor: actor.actor)
      let time = docket.office.time
      if json {
        return write(
          JSONValue.object([
            ("awaiting_upgrade", .number(Int64(status.awaitingUpgrade))),
            (
              "custodians",
              .array(
                status.custodians.map {
                  .object([
                    ("added_at", .time($0.addedAt)), ("failed_attempts", .number(Int64($0.failedAttempts))),
                    ("locked_until", .time($0.lockedUntil)), ("login", .string($0.login)),
                    ("name", .text($0.name)),
                    ("passphrase_set_at", .time($0.passphraseSetAt)),
                  ])
                })
            ),
            ("envelopes", .number(Int64(status.envelopes))),
            ("fingerprint", status.fingerprint.map(JSONValue.string) ?? .null),
            ("reveal_quorum", status.revealQuorum.map { .number(Int64($0)) } ?? .null),
            (
              "retired",
              .array(
                status.retired.map {
                  .object([
                    ("envelopes", .number(Int64($0.envelopes))), ("fingerprint", .string($0.fingerprint)),
                  ])
                })
            ),
            (
              "wraps",
              .array(
                status.wraps.map {
                  .object([
                    ("created_at", .time($0.createdAt)),
                    ("custodians", .array($0.custodians.map(JSONValue.string))),
                  ])
                })
            ),
          ]))
      }
      guard let fingerprint = status.fingerprint else {
        return write(
          "No office key yet: a leader makes it with 'docket db init --custodian LOGIN'.\n"
            + (status.awaitingUpgrade > 0
              ? "\(status.awaitingUpgrade) value(s) are sealed with an old key file: 'docket db migrate --custodian LOGIN' re-seals them.\n"
              : ""))
      }
      var text = """
        office key: \(fingerprint) (since \(time.minuteString(status.createdAt ?? Date())))
        reveal quorum: \(status.revealQuorum ?? 1)
        envelopes: \(status.envelopes)
        custodians:

        """
      for custodian in status.custodians {
        var line =
          "  \(custodian.login) \(custodian.name): added \(time.minuteString(custodian.addedAt)), passphrase set \(time.minuteString(custodian.passphraseSetAt))"
        if let until = custodian.lockedUntil, until > Date() {
          line += ", LOCKED until \(time.minuteString(until))"
        } else if custodian.failedAttempts > 0 {
          line += ", \(custodian.failedAttempts) wrong passphrase(s) in a row"
        }
        text += line + "\n"
      }
      text += "wraps:\n"
      for wrap in status.wraps {
        text += "  \(wrap.custodians.joined(separator: " + ")): made \(time.minuteString(wrap.createdAt))\n"
      }
      for retired in status.retired {
        text +=
          "unfinished rotation: \(retired.envelopes) envelope(s) still on \(retired.fingerprint); run 'docket key rotate' to finish\n"
      }
      if status.awaitingUpgrade > 0 {
        text +=
          "\(status.awaitingUpgrade) value(s) still sealed with the old key file: run 'docket db migrate'\n"
      }
      write(text)
    }
  }

  struct Custodian: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Add or remove a custodian of the office key.", subcommands: [Add.self, Remove.self])

    struct Add: DocketCommand {
      static let configuration = CommandConfiguration(
        abstract: "Make a leader a custodian: you unlock the office key, they set a passphrase.")
      @Argument(help: "The new custodian's login (an active leader).") var login: String
      @OptionGroup var custodians: CustodianOptions
      @OptionGroup var newPassphrase: NewPassphraseOptions
      @OptionGroup var actor: ActorOptions
      @OptionGroup var connection: ConnectionOptions

      func execute() throws(DocketError) {
        let docket = try connection.open()
        let given = try custodians.custodians(docket, actor: actor.actor, act: "add custodian")
        let passphrase = try newPassphrase.read(for: login)
        try docket.addCustodian(login, passphrase: passphrase, unlockedBy: given, actor: actor.actor)
        write("\(login) is now a custodian of the office key.\n")
      }
    }

    struct Remove: DocketCommand {
      static let configuration = CommandConfiguration(
        abstract: "Remove a custodian and their wraps (refused for the last one).")
      @Argument(help: "The custodian's login.") var login: String
      @OptionGroup var actor: ActorOptions
      @OptionGroup var connection: ConnectionOptions

      func execute() throws(DocketError) {
        let docket = try connection.open()
        try docket.removeCustodian(login, actor: actor.actor)
        write(
          """
          \(login) is no longer a custodian; their wraps are deleted.
          A copy of a wrap made before (a backup) would still open the current key: rotate it with 'docket key rotate'.

          """)
      }
    }
  }

  struct Passphrase: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "Change your own custodian passphrase.")
    @OptionGroup var custodians: CustodianOptions
    @OptionGroup var newPassphrase: NewPassphraseOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let old = try custodians.custodians(docket, actor: actor.actor, act: "change passphrase")[0].passphrase
      let me = try docket.actor(actor.actor).login
      let new = try newPassphrase.read(for: me)
      try docket.changePassphrase(old: old, new: new, actor: actor.actor)
      write("The passphrase of \(me) is changed.\n")
    }
  }

  struct Rotate: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Make a new office key pair and move everything sealed onto it; resumable.",
      discussion: """
        The new key is wrapped for every custodian from their public keys; only the custodians \
        unlocking the old one (as many as the reveal quorum) are asked. Each envelope's data key is \
        sealed again to the new key, a batch per transaction; run it again if it stops. Then the old \
        key's wraps are destroyed. Add the new fingerprint to the pin file of every intake machine.
        """)
    @OptionGroup var custodians: CustodianOptions
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false

    func execute() throws(DocketError) {
      let docket = try connection.open()
      let given = try custodians.custodians(docket, actor: actor.actor, act: "rotate key")
      let rotation = try docket.rotateOfficeKey(unlockedBy: given, actor: actor.actor)
      writeRotation(rotation, json: json)
    }
  }
}

/// What a rotation or a change of quorum did, for people or as JSON.
func writeRotation(_ rotation: KeyRotation, json: Bool) {
  if json {
    return write(
      JSONValue.object([
        ("destroyed", .array(rotation.destroyed.map(JSONValue.string))),
        ("envelopes", .number(Int64(rotation.envelopes))), ("from", .string(rotation.from)),
        ("resumed", .bool(rotation.resumed)), ("reveal_quorum", .number(Int64(rotation.revealQuorum))),
        ("to", .string(rotation.to)),
      ]))
  }
  write(
    """
    Office key \(rotation.resumed ? "rotation finished" : "rotated"): \(rotation.from) → \(rotation.to) (reveal quorum \(rotation.revealQuorum)).
    Envelopes sealed again to the new key: \(rotation.envelopes).
    \(rotation.destroyed.isEmpty ? "" : "Destroyed (its wraps deleted): \(rotation.destroyed.joined(separator: ", ")).\n")\
    Add \(rotation.to) to the pin file (office-key.pin) of every intake machine.

    """)
}
