import Foundation

/// Every event the journal records, and what it says.
///
/// The journal is permanent and hash-chained: an event is stored as its ``name`` and its payload,
/// the canonical JSON (``CanonicalJSON``) of ``fields``, and a field once written is read back by
/// its name for ever. Decoding is therefore lenient, so that every journal ever written reads: a
/// missing field reads as nil or zero, and an event this version does not know is ``other``.
/// Who entered the work in the actor's name (`entered_by`) belongs to every event and is not part
/// of any case.
public enum JournalEvent: Sendable, Equatable {
  /// An item was registered. The journal keeps its classification only: no free text a registrar
  /// typed, no names.
  case registered(Registered)
  /// A lifecycle move of an item.
  case moved(Move, MoveRecord)
  /// 受理告知 given to the real-name reporter.
  case notified(note: String?)
  /// 结果反馈 given to the real-name reporter.
  case feedbackGiven(note: String?)
  /// A petition's handling period extended.
  case extended(days: Int, reason: String, note: String?)
  /// A reply by email from the item's reporter.
  case emailReply(mailMessage: String, attachments: Int, sha256: String)
  /// A reporter's identity decrypted by a custodian; `with` is the second custodian of a quorum of 2.
  case identityRevealed(reason: String, with: String?)
  case identitiesExported(reason: String, items: Int, with: String?)
  /// A receipt-code lookup succeeded; `shown` is the public state it showed.
  case receiptStatusChecked(shown: String)
  case receiptReissued(replaced: Bool)
  case publicNoteSet(note: String)
  case publicNoteCleared
  case supervisionLetter(letter: String, kind: String, unit: String)
  case unitAdded(unit: String)
  case staffAdded(login: String, roles: String, unit: String?, databaseRole: String?)
  case staffMapped(login: String, databaseRole: String)
  case staffDisabled(login: String, reason: String)
  case settingChanged(key: String, value: String)
  case policyChanged(clock: String, from: String, to: String, extension: String?)
  case calendarImported(year: Int, holidays: Int, workdays: Int, dueDatesMoved: Int?)
  case handoverImported(HandoverImported)
  case emailQuarantined(quarantine: String, reason: String, size: Int)
  /// A held message tried again; `openedBy` names the custodians who opened its sealed bytes.
  case emailQuarantineRetried(quarantine: String, ref: String?, openedBy: String?)
  case emailQuarantineDropped(quarantine: String, reason: String)
  case identityKeyRotated(
    oldKeyID: String, newKeyID: String, identities: Int, messages: Int, quarantined: Int)
  /// A custodian released an item's attachment: a plain copy kept for those who see the item.
  case attachmentReleased(attachment: Int, reason: String, with: String?)
  /// A custodian opened an unreleased attachment, keeping no copy.
  case attachmentOpened(attachment: Int, reason: String, with: String?)
  /// A registrar hid a value found in an item's texts; `fields` says which changed, never the value.
  case redacted(fields: String, reason: String)
  /// Attachments stored in plain bytes before they were sealed, sealed to the office key.
  case attachmentsSealed(count: Int)
  /// A round of rectification added (`rectify round add`).
  case rectificationRoundAdded(round: String, name: String)
  /// A round's plan imported: how many aspects, problems and measures, and the file's SHA-256.
  case planImported(round: String, aspects: Int, problems: Int, measures: Int, sha256: String)
  /// Work on a rectification measure: a claim, a progress entry, completion, sign-off and its
  /// approval, reopening, a link to case items. Stored as `measure_` and the entry's kind, with the
  /// measure's id, which row-level security reads.
  case measure(MeasureEntryKind, MeasureRecord)
  /// A 提醒函 or 督办函 to a unit lagging on its rectification measures.
  case rectificationLetter(letter: String, kind: String, unit: String, measures: Int)
  /// The office's first key pair, made with its first custodian (`db init`).
  case officeKeyCreated(fingerprint: String, quorum: Int)
  /// A new office key pair in use (a rotation, or a change of the reveal quorum); the envelopes
  /// sealed to the old one are moved to it next, and then the old one is destroyed.
  case officeKeyRotated(from: String, to: String, quorum: Int, by: String)
  /// A batch of envelopes whose data keys were sealed again to the key in use (a rotation).
  case envelopesResealed(to: String, envelopes: Int)
  /// No envelope was left on a retired key, and its wraps were deleted.
  case officeKeyDestroyed(fingerprint: String, envelopes: Int)
  case custodianAdded(login: String, by: String)
  case custodianRemoved(login: String)
  case custodianPassphraseChanged(login: String)
  /// A custodian's act refused before anything was opened: a wrong or missing passphrase, a
  /// locked custodian, or someone who is not one. Never the passphrase tried.
  case custodianRefused(custodian: String, act: String, why: String)
  /// What docket before 0018 sealed with its symmetric key file, re-sealed to the office key.
  case sealingUpgraded(
    oldKeyID: String, fingerprint: String, identities: Int, messages: Int, quarantined: Int)
  /// An event this version of docket does not know, as stored.
  case other(name: String, fields: [String: String])
}
