import DocketCore
import DocketStore
import Foundation

extension Docket {
  /// Appends `event` to the journal inside the caller's transaction, with who entered it in the
  /// actor's name when an administrator did.
  @discardableResult
  func journal(item: Int64?, actor: String, _ event: JournalEvent, at: Date) throws(DocketError)
    -> JournalEntry
  {
    let payload = event.payload(enteredBy: enteredBy(actor))
    // A note or reason goes into the item's search document with the event that carries it,
    // before the journal's head is locked.
    if let item, let text = event.searchText {
      var document = SearchDocument()
      document.add(text, .other)
      try store { try SearchRepository(db).appendItem(item, document) }
    }
    return try store {
      try JournalRepository(db).append(
        itemID: item, actor: actor, event: event.name, effectiveAt: at, payload: payload)
    }
  }
}
