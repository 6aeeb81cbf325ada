import Foundation

/// The wire format: an event's name and payload, and reading them back leniently.
extension JournalEvent {
  /// The name stored in the journal's `event` column.
  public var name: String {
    switch self {
    case .registered: "registered"
    case .moved(let move, _): move.rawValue
    case .notified: "notified"
    case .feedbackGiven: "feedback_given"
    case .extended: "extended"
    case .emailReply: "email_reply"
    case .identityRevealed: "identity_revealed"
    case .identitiesExported: "identities_exported"
    case .receiptStatusChecked: "receipt_status_checked"
    case .receiptReissued: "receipt_reissued"
    case .publicNoteSet: "public_note_set"
    case .publicNoteCleared: "public_note_cleared"
    case .supervisionLetter: "supervision_letter"
    case .unitAdded: "unit_added"
    case .staffAdded: "staff_added"
    case .staffMapped: "staff_mapped"
    case .staffDisabled: "staff_disabled"
    case .settingChanged: "setting_changed"
    case .policyChanged: "policy_changed"
    case .calendarImported: "calendar_imported"
    case .handoverImported: "handover_imported"
    case .emailQuarantined: "email_quarantined"
    case .emailQuarantineRetried: "email_quarantine_retried"
    case .emailQuarantineDropped: "email_quarantine_dropped"
    case .identityKeyRotated: "identity_key_rotated"
    case .attachmentReleased: "attachment_released"
    case .attachmentOpened: "attachment_opened"
    case .attachmentsSealed: "attachments_sealed"
    case .redacted: "redacted"
    case .rectificationRoundAdded: "rectification_round_added"
    case .measure(let kind, _): "measure_" + kind.rawValue
    case .rectificationLetter: "rectification_letter"
    case .planImported: "plan_imported"
    case .officeKeyCreated: "office_key_created"
    case .officeKeyRotated: "office_key_rotated"
    case .envelopesResealed: "envelopes_resealed"
    case .officeKeyDestroyed: "office_key_destroyed"
    case .custodianAdded: "custodian_added"
    case .custodianRemoved: "custodian_removed"
    case .custodianPassphraseChanged: "custodian_passphrase_changed"
    case .custodianRefused: "custodian_refused"
    case .sealingUpgraded: "sealing_upgraded"
    case .other(let name, _): name
    }
  }

  /// The payload's fields; nil ones are left out when written.
  public var fields: [String: String?] {
    func number(_ value: Int?) -> String? { value.map(String.init) }
    switch self {
    case .registered(let r):
      return [
        "accused_count": number(r.accusedCount), "batch": r.batch, "category": r.category,
        "channel": r.channel.rawValue, "kind": r.kind.rawValue, "received_at": r.receivedAt.rfc3339,
        "ref": r.ref,
        "reporter": r.reporter.rawValue, "source": r.source.rawValue,
      ]
    case .moved(_, let m):
      return [
        "approved": m.approved.map { $0 ? "true" : "false" }, "conflict_override": m.conflictOverride,
        "disposal": m.disposal?.rawValue, "false_accusation": m.falseAccusation ? "true" : nil,
        "finding": m.finding?.rawValue, "forwarded_to": m.forwardedTo, "from": m.from.rawValue,
        "handler": m.handler, "note": m.note, "original": m.original, "reason": m.reason, "to": m.to.rawValue,
        "unit": m.unit, "until": m.until,
      ]
    case .notified(let note), .feedbackGiven(let note): return ["note": note]
    case .extended(let days, let reason, let note):
      return ["days": String(days), "note": note, "reason": reason]
    case .emailReply(let message, let attachments, let sha256):
      return ["attachments": String(attachments), "mail_message": message, "sha256": sha256]
    case .identityRevealed(let reason, let with): return ["reason": reason, "with": with]
    case .identitiesExported(let reason, let items, let with):
      return ["items": String(items), "reason": reason, "with": with]
    case .receiptStatusChecked(let shown): return ["shown": shown]
    case .receiptReissued(let replaced): return ["replaced": replaced ? "true" : "false"]
    case .publicNoteSet(let note): return ["note": note]
    case .publicNoteCleared: return [:]
    case .supervisionLetter(let letter, let kind, let unit):
      return ["kind": kind, "letter": letter, "unit": unit]
    case .unitAdded(let unit): return ["unit": unit]
    case .staffAdded(let login, let roles, let unit, let role):
      return ["db_role": role, "login": login, "roles": roles, "unit": unit]
    case .staffMapped(let login, let role): return ["db_role": role, "login": login]
    case .staffDisabled(let login, let reason): return ["login": login, "reason": reason]
    case .settingChanged(let key, let value):
      // The setting's name is the key: a map of one, as it has always been written.
      return [key: value]
    case .policyChanged(let clock, let from, let to, let extensionLength):
      return ["clock": clock, "extension": extensionLength, "from": from, "to": to]
    case .calendarImported(let year, let holidays, let workdays, let moved):
      return [
        "due_dates_moved": number(moved), "holidays": String(holidays), "workdays": String(workdays),
        "year": String(year),
      ]
    case .handoverImported(let h):
      return [
        "batch": h.batch, "from": h.from, "handover_date": h.handoverDate, "items": String(h.items),
        "rejected": String(h.rejected), "sha256": h.sha256, "source": h.source.rawValue,
      ]
    case .emailQuarantined(let quarantine, let reason, let size):
      return ["quarantine": quarantine, "reason": reason, "size": String(size)]
    case .emailQuarantineRetried(let quarantine, let ref, let openedBy):
      return ["opened_by": openedBy, "quarantine": quarantine, "ref": ref]
    case .emailQuarantineDropped(let quarantine, let reason):
      return ["quarantine": quarantine, "reason": reason]
    case .identityKeyRotated(let old, let new, let identities, let messages, let quarantined):
      return [
        "identities": String(identities), "messages": String(messages), "new_key_id": new, "old_key_id": old,
        "quarantined": String(quarantined),
      ]
    case .attachmentReleased(let number, let reason, let with),
      .attachmentOpened(let number, let reason, let with):
      return ["attachment": String(number), "reason": reason, "with": with]
    case .attachmentsSealed(let count): return ["count": String(count)]
    case .redacted(let fields, let reason): return ["fields": fields, "reason": reason]
    case .rectificationRoundAdded(let round, let name): return ["name": name, "round": round]
    case .measure(_, let m):
      return [
        "approved_by": m.approvedBy, "done": m.done.map { MeasureTarget.format($0) },
        "evidence": m.evidence.isEmpty ? nil : m.evidence.joined(separator: " "), "from": m.from.rawValue,
        "link": m.link, "measure": m.measure, "measure_id": String(m.measureID), "note": m.note,
        "milestone": m.milestone?.description, "reason": m.reason, "to": m.to.rawValue, "unit": m.unit,
      ]
    case .rectificationLetter(let letter, let kind, let unit, let measures):
      return ["kind": kind, "letter": letter, "measures": String(measures), "unit": unit]
    case .planImported(let round, let aspects, let problems, let measures, let sha256):
      return [
        "aspects": String(aspects), "measures": String(measures), "problems": String(problems),
        "round": round,
        "sha256": sha256,
      ]
    case .officeKeyCreated(let fingerprint, let quorum):
      return ["fingerprint": fingerprint, "quorum": String(quorum)]
    case .officeKeyRotated(let from, let to, let quorum, let by):
      return ["by": by, "from": from, "quorum": String(quorum), "to": to]
    case .envelopesResealed(let to, let envelopes): return ["envelopes": String(envelopes), "to": to]
    case .officeKeyDestroyed(let fingerprint, let envelopes):
      return ["envelopes": String(envelopes), "fingerprint": fingerprint]
    case .custodianAdded(let login, let by): return ["by": by, "login": login]
    case .custodianRemoved(let login), .custodianPassphraseChanged(let login): return ["login": login]
    case .custodianRefused(let custodian, let act, let why):
      return ["act": act, "custodian": custodian, "why": why]
    case .sealingUpgraded(let old, let fingerprint, let identities, let messages, let quarantined):
      return [
        "fingerprint": fingerprint, "identities": String(identities), "messages": String(messages),
        "old_key_id": old, "quarantined": String(quarantined),
      ]
    case .other(_, let fields):
      return fields.mapValues { Optional($0) }
    }
  }

  /// The payload as stored and hashed, with who entered the work in the actor's name, if anyone.
  public func payload(enteredBy: String? = nil) -> String {
    var fields = fields
    if let enteredBy { fields["entered_by"] = enteredBy }
    return CanonicalJSON.object(fields)
  }

  /// The event stored as `name` with `payload`; never fails (see ``JournalEvent``).
  public init(name: String, payload: String) {
    self.init(name: name, fields: Self.decode(payload).filter { $0.key != "entered_by" })
  }

  /// A payload's fields; a payload that is not a flat object of strings reads as none.
  static func decode(_ payload: String) -> [String: String] {
    (try? JSONDecoder().decode([String: String].self, from: Data(payload.utf8))) ?? [:]
  }

  init(name: String, fields f: [String: String]) {
    func int(_ key: String) -> Int { f[key].flatMap { Int($0) } ?? 0 }
    let other = JournalEvent.other(name: name, fields: f)
    if let move = Move(rawValue: name) {
      guard let from = f["from"].flatMap(ItemState.init(rawValue:)),
        let to = f["to"].flatMap(ItemState.init(rawValue:))
      else {
        self = other
        return
      }
      var record = MoveRecord(from: from, to: to, note: f["note"])
      record.reason = f["reason"]
      record.original = f["original"]
      record.forwardedTo = f["forwarded_to"]
      record.unit = f["unit"]
      record.handler = f["handler"]
      record.conflictOverride = f["conflict_override"]
      record.until = f["until"]
      record.disposal = f["disposal"].flatMap(Disposal.init(rawValue:))
      record.approved = f["approved"].map { $0 == "true" }
      record.finding = f["finding"].flatMap(Finding.init(rawValue:))
      record.falseAccusation = f["false_accusation"] == "true"
      self = .moved(move, record)
      return
    }
    if name.hasPrefix("measure_"), let kind = MeasureEntryKind(rawValue: String(name.dropFirst(8))) {
      guard let measure = f["measure"], let id = f["measure_id"].flatMap({ Int64($0) }),
        let from = f["from"].flatMap(MeasureState.init(rawValue:)),
        let to = f["to"].flatMap(MeasureState.init(rawValue:))
      else {
        self = other
        return
      }
      var record = MeasureRecord(measure: measure, measureID: id, from: from, to: to, note: f["note"])
      record.reason = f["reason"]
      record.done = f["done"].flatMap(Double.init)
      record.unit = f["unit"]
      record.evidence = (f["evidence"] ?? "").split(separator: " ").map(String.init)
      record.link = f["link"]
      record.approvedBy = f["approved_by"]
      record.milestone = f["milestone"].flatMap(CivilDate.init)
      self = .measure(kind, record)
      return
    }
    switch name {
    case "registered":
      guard let ref = f["ref"], let kind = f["kind"].flatMap(Kind.init(rawValue:)),
        let source = f["source"].flatMap(Source.init(rawValue:)),
        let channel = f["channel"].flatMap(Channel.init(rawValue:)),
        let reporter = f["reporter"].flatMap(ReporterKind.init(rawValue:)),
        let received = f["received_at"].flatMap({ try? OfficeTime.beijing.parse($0) })
      else {
        self = other
        return
      }
      self = .registered(
        Registered(
          ref: ref, kind: kind, source: source, channel: channel, category: f["category"], reporter: reporter,
          receivedAt: received, accusedCount: f["accused_count"].flatMap { Int($0) }, batch: f["batch"]))
    case "notified": self = .notified(note: f["note"])
    case "feedback_given": self = .feedbackGiven(note: f["note"])
    case "extended": self = .extended(days: int("days"), reason: f["reason"] ?? "", note: f["note"])
    case "email_reply":
      self = .emailReply(
        mailMessage: f["mail_message"] ?? "", attachments: int("attachments"), sha256: f["sha256"] ?? "")
    case "identity_revealed": self = .identityRevealed(reason: f["reason"] ?? "", with: f["with"])
    case "identities_exported":
      self = .identitiesExported(reason: f["reason"] ?? "", items: int("items"), with: f["with"])
    case "receipt_status_checked": self = .receiptStatusChecked(shown: f["shown"] ?? "")
    case "receipt_reissued": self = .receiptReissued(replaced: f["replaced"] == "true")
    case "public_note_set": self = .publicNoteSet(note: f["note"] ?? "")
    case "public_note_cleared": self = .publicNoteCleared
    case "supervision_letter":
      self = .supervisionLetter(letter: f["letter"] ?? "", kind: f["kind"] ?? "", unit: f["unit"] ?? "")
    case "unit_added": self = .unitAdded(unit: f["unit"] ?? "")
    case "staff_added":
      // The first administrator's event once named the role `database_role`.
      self = .staffAdded(
        login: f["login"] ?? "", roles: f["roles"] ?? "", unit: f["unit"],
        databaseRole: f["db_role"] ?? f["database_role"])
    case "staff_mapped": self = .staffMapped(login: f["login"] ?? "", databaseRole: f["db_role"] ?? "")
    case "staff_disabled": self = .staffDisabled(login: f["login"] ?? "", reason: f["reason"] ?? "")
    case "setting_changed":
      guard f.count == 1, let (key, value) = f.first else {
        self = other
        return
      }
      self = .settingChanged(key: key, value: value)
    case "policy_changed":
      self = .policyChanged(
        clock: f["clock"] ?? "", from: f["from"] ?? "", to: f["to"] ?? "", extension: f["extension"])
    case "calendar_imported":
      self = .calendarImported(
        year: int("year"), holidays: int("holidays"), workdays: int("workdays"),
        dueDatesMoved: f["due_dates_moved"].flatMap { Int($0) })
    case "handover_imported":
      guard let source = f["source"].flatMap(Source.init(rawValue:)) else {
        self = other
        return
      }
      self = .handoverImported(
        HandoverImported(
          batch: f["batch"] ?? "", source: source, from: f["from"] ?? "",
          handoverDate: f["handover_date"] ?? "",
          items: int("items"), rejected: int("rejected"), sha256: f["sha256"] ?? ""))
    case "email_quarantined":
      self = .emailQuarantined(
        quarantine: f["quarantine"] ?? "", reason: f["reason"] ?? "", size: int("size"))
    case "email_quarantine_retried":
      self = .emailQuarantineRetried(
        quarantine: f["quarantine"] ?? "", ref: f["ref"], openedBy: f["opened_by"])
    case "email_quarantine_dropped":
      self = .emailQuarantineDropped(quarantine: f["quarantine"] ?? "", reason: f["reason"] ?? "")
    case "identity_key_rotated":
      self = .identityKeyRotated(
        oldKeyID: f["old_key_id"] ?? "", newKeyID: f["new_key_id"] ?? "", identities: int("identities"),
        messages: int("messages"), quarantined: int("quarantined"))
    case "rectification_round_added":
      self = .rectificationRoundAdded(round: f["round"] ?? "", name: f["name"] ?? "")
    case "plan_imported":
      self = .planImported(
        round: f["round"] ?? "", aspects: int("aspects"), problems: int("problems"),
        measures: int("measures"),
        sha256: f["sha256"] ?? "")
    case "attachment_released":
      self = .attachmentReleased(attachment: int("attachment"), reason: f["reason"] ?? "", with: f["with"])
    case "attachment_opened":
      self = .attachmentOpened(attachment: int("attachment"), reason: f["reason"] ?? "", with: f["with"])
    case "attachments_sealed": self = .attachmentsSealed(count: int("count"))
    case "redacted": self = .redacted(fields: f["fields"] ?? "", reason: f["reason"] ?? "")
    case "office_key_created":
      self = .officeKeyCreated(fingerprint: f["fingerprint"] ?? "", quorum: int("quorum"))
    case "office_key_rotated":
      self = .officeKeyRotated(
        from: f["from"] ?? "", to: f["to"] ?? "", quorum: int("quorum"), by: f["by"] ?? "")
    case "envelopes_resealed": self = .envelopesResealed(to: f["to"] ?? "", envelopes: int("envelopes"))
    case "office_key_destroyed":
      self = .officeKeyDestroyed(fingerprint: f["fingerprint"] ?? "", envelopes: int("envelopes"))
    case "custodian_added": self = .custodianAdded(login: f["login"] ?? "", by: f["by"] ?? "")
    case "custodian_removed": self = .custodianRemoved(login: f["login"] ?? "")
    case "custodian_passphrase_changed": self = .custodianPassphraseChanged(login: f["login"] ?? "")
    case "custodian_refused":
      self = .custodianRefused(custodian: f["custodian"] ?? "", act: f["act"] ?? "", why: f["why"] ?? "")
    case "rectification_letter":
      self = .rectificationLetter(
        letter: f["letter"] ?? "", kind: f["kind"] ?? "", unit: f["unit"] ?? "", measures: int("measures"))
    case "sealing_upgraded":
      self = .sealingUpgraded(
        oldKeyID: f["old_key_id"] ?? "", fingerprint: f["fingerprint"] ?? "", identities: int("identities"),
        messages: int("messages"), quarantined: int("quarantined"))
    default: self = other
    }
  }
}

extension JournalEntry {
  /// What the event says, decoded from its stored name and payload.
  public var content: JournalEvent { decoded.event }

  /// What the event says and who entered the work in the actor's name, if anyone did, from one
  /// reading of the payload.
  public var decoded: (event: JournalEvent, enteredBy: String?) {
    let fields = JournalEvent.decode(payload)
    return (JournalEvent(name: event, fields: fields.filter { $0.key != "entered_by" }), fields["entered_by"])
  }
}
