extension JournalEvent {
  /// What an item's event adds to its search document: the notes and reasons staff wrote with a
  /// move, a notice, an extension or a note for the public. Nil when it adds nothing. Never an
  /// identity: none of these texts is a reporter's.
  public var searchText: String? {
    let texts: [String?]
    switch self {
    case .moved(_, let record):
      texts = [record.note, record.reason, record.forwardedTo, record.conflictOverride]
    case .notified(let note), .feedbackGiven(let note): texts = [note]
    case .extended(_, let reason, let note): texts = [reason, note]
    case .publicNoteSet(let note): texts = [note]
    default: texts = []
    }
    let present = texts.compactMap { $0 }.filter { !$0.isEmpty }
    return present.isEmpty ? nil : present.joined(separator: "\n")
  }
}
