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
    return try store {
      try JournalRepository(db).append(
        itemID: item, actor: actor, event: event.name, effectiveAt: at, payload: payload)
    }
  }
}
