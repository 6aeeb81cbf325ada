/// The one state machine every item moves through (DESIGN.md, "Lifecycle").
public enum Lifecycle {
  /// The moves allowed from a state, in the order a person would consider them.
  public static func allowedMoves(from state: ItemState) -> [Move] {
    switch state {
    case .registered: [.accept, .notAccept, .duplicate, .forward]
    case .accepted: [.assign, .forward]
    case .assigned: [.start, .assign, .forward]
    case .handling: [.dispose, .hold, .conclude]
    case .onHold: [.resume]
    case .concluded: [.close]
    case .closed: [.reopen]
    case .notAccepted, .duplicate, .forwarded: []
    }
  }

  /// The state a move leads to from `state`, or an error naming the current state and what is allowed.
  ///
  /// `dispose` keeps an item in handling, except that the disposal `hold` (暂存待查) puts it on hold;
  /// that choice belongs to the caller, which passes `disposal`.
  public static func target(
    of move: Move, from state: ItemState, disposal: Disposal? = nil
  ) throws(TransitionError) -> ItemState {
    guard allowedMoves(from: state).contains(move) else {
      throw TransitionError(move: move, state: state, allowed: allowedMoves(from: state))
    }
    switch move {
    case .accept: return .accepted
    case .notAccept: return .notAccepted
    case .duplicate: return .duplicate
    case .forward: return .forwarded
    case .assign: return .assigned
    case .start, .resume, .reopen: return .handling
    case .dispose: return disposal == .hold ? .onHold : .handling
    case .hold: return .onHold
    case .conclude: return .concluded
    case .close: return .closed
    }
  }
}

/// A move that the state machine does not allow from the item's current state.
public struct TransitionError: Error, Sendable, Equatable, CustomStringConvertible {
  public let move: Move
  public let state: ItemState
  public let allowed: [Move]

  public var description: String {
    let choices =
      allowed.isEmpty
      ? "no move is allowed from there"
      : "the allowed moves are: \(allowed.map(\.command).joined(separator: ", "))"
    return "cannot \(move.command): the item is \(state.rawValue) (\(state.chinese)), and \(choices)."
  }
}
