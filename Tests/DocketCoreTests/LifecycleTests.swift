import Testing

@testable import DocketCore

/// The lifecycle as DESIGN.md draws it, written out by hand: every allowed move and where it leads.
/// Any (state, move) pair not listed here must be refused.
private let expectedTargets: [ItemState: [Move: ItemState]] = [
  .registered: [
    .accept: .accepted, .notAccept: .notAccepted, .duplicate: .duplicate, .forward: .forwarded,
  ],
  .accepted: [.assign: .assigned, .forward: .forwarded],
  // Re-assignment to another unit is allowed before work starts.
  .assigned: [.start: .handling, .assign: .assigned, .forward: .forwarded],
  .handling: [.dispose: .handling, .hold: .onHold, .conclude: .concluded],
  .onHold: [.resume: .handling],
  .concluded: [.close: .closed],
  .closed: [.reopen: .handling],
  .notAccepted: [:],
  .duplicate: [:],
  .forwarded: [:],
]

/// The allowed moves in the order a person reads them in an error message.
private let expectedOrder: [ItemState: [Move]] = [
  .registered: [.accept, .notAccept, .duplicate, .forward],
  .accepted: [.assign, .forward],
  .assigned: [.start, .assign, .forward],
  .handling: [.dispose, .hold, .conclude],
  .onHold: [.resume],
  .concluded: [.close],
  .closed: [.reopen],
  .notAccepted: [],
  .duplicate: [],
  .forwarded: [],
]

struct StateMovePair: Sendable, CustomTestStringConvertible {
  let state: ItemState
  let move: Move
  var testDescription: String { "\(state.rawValue) --\(move.command)-->" }
}

private let allPairs: [StateMovePair] = ItemState.allCases.flatMap { state in
  Move.allCases.map { StateMovePair(state: state, move: $0) }
}

@Suite("Lifecycle")
struct LifecycleTests {
  @Test("the expected table covers every state")
  func tableIsComplete() {
    #expect(Set(expectedTargets.keys) == Set(ItemState.allCases))
    #expect(ItemState.allCases.count == 10)
    #expect(Move.allCases.count == 12)
    #expect(allPairs.count == 120)
  }

  @Test("every (state, move) pair is allowed or refused exactly as designed", arguments: allPairs)
  func everyPair(_ pair: StateMovePair) throws {
    let expected = expectedTargets[pair.state]![pair.move]
    if let expected {
      let target = try Lifecycle.target(of: pair.move, from: pair.state)
      #expect(target == expected)
      #expect(Lifecycle.allowedMoves(from: pair.state).contains(pair.move))
    } else {
      #expect(!Lifecycle.allowedMoves(from: pair.state).contains(pair.move))
      let error = #expect(throws: TransitionError.self) {
        try Lifecycle.target(of: pair.move, from: pair.state)
      }
      guard let error else { return }
      #expect(error.move == pair.move)
      #expect(error.state == pair.state)
      #expect(error.allowed == expectedOrder[pair.state]!)
      let text = error.description
      #expect(text.contains("cannot \(pair.move.command)"))
      // Names the current state, in code and in Chinese.
      #expect(text.contains(pair.state.rawValue))
      #expect(text.contains(pair.state.chinese))
      // Lists every allowed move in its command-line spelling, or says that none is.
      let allowed = expectedOrder[pair.state]!
      if allowed.isEmpty {
        #expect(text.contains("no move is allowed"))
      } else {
        #expect(text.contains(allowed.map(\.command).joined(separator: ", ")))
      }
    }
  }

  @Test("allowed moves come in the designed order", arguments: ItemState.allCases)
  func allowedOrder(_ state: ItemState) {
    #expect(Lifecycle.allowedMoves(from: state) == expectedOrder[state]!)
    #expect(Set(Lifecycle.allowedMoves(from: state)) == Set(expectedTargets[state]!.keys))
  }

  @Test("a refused move reads as one sentence a user can act on")
  func refusalMessage() {
    let error = #expect(throws: TransitionError.self) {
      try Lifecycle.target(of: .close, from: .handling)
    }
    #expect(
      error?.description
        == "cannot close: the item is handling (办理中), and the allowed moves are: dispose, hold, conclude.")

    let screened = #expect(throws: TransitionError.self) {
      try Lifecycle.target(of: .accept, from: .accepted)
    }
    #expect(
      screened?.description
        == "cannot accept: the item is accepted (已受理), and the allowed moves are: assign, forward.")

    let done = #expect(throws: TransitionError.self) {
      try Lifecycle.target(of: .reopen, from: .forwarded)
    }
    #expect(
      done?.description == "cannot reopen: the item is forwarded (已转送), and no move is allowed from there.")
  }

  @Test("multi-word moves are named in their command spelling in refusals")
  func refusalUsesCommandSpelling() {
    let error = #expect(throws: TransitionError.self) {
      try Lifecycle.target(of: .notAccept, from: .handling)
    }
    #expect(error?.description.contains("cannot not-accept") == true)
    #expect(error?.description.contains("not_accept") == false)
  }

  @Test("dispose with the disposal hold (暂存待查) puts the item on hold")
  func disposeHold() throws {
    #expect(try Lifecycle.target(of: .dispose, from: .handling, disposal: .hold) == .onHold)
  }

  @Test(
    "any other disposal keeps the item in handling",
    arguments: [Disposal.talkInquiry, .preliminaryVerification, .closeOff, .fileCase])
  func disposeOther(_ disposal: Disposal) throws {
    #expect(try Lifecycle.target(of: .dispose, from: .handling, disposal: disposal) == .handling)
  }

  @Test("dispose is refused outside handling, whatever the disposal")
  func disposeOutsideHandling() {
    for state in ItemState.allCases where state != .handling {
      for disposal in Disposal.allCases {
        #expect(throws: TransitionError.self) {
          try Lifecycle.target(of: .dispose, from: state, disposal: disposal)
        }
      }
    }
  }

  @Test("a disposal passed with a move other than dispose does not change the target")
  func disposalIgnoredForOtherMoves() throws {
    #expect(try Lifecycle.target(of: .conclude, from: .handling, disposal: .hold) == .concluded)
    #expect(try Lifecycle.target(of: .start, from: .assigned, disposal: .hold) == .handling)
  }

  @Test("the full happy path from registration to closure and back through reopening")
  func happyPath() throws {
    var state = ItemState.registered
    for (move, expected) in [
      (Move.accept, ItemState.accepted), (.assign, .assigned), (.start, .handling),
      (.hold, .onHold), (.resume, .handling), (.conclude, .concluded), (.close, .closed),
      (.reopen, .handling), (.conclude, .concluded), (.close, .closed),
    ] {
      state = try Lifecycle.target(of: move, from: state)
      #expect(state == expected, "after \(move.command)")
    }
  }

  @Test("closed-like and open states")
  func closedLikeAndOpen() {
    let closedLike: Set<ItemState> = [.closed, .forwarded, .notAccepted]
    let open: Set<ItemState> = [.registered, .accepted, .assigned, .handling, .onHold, .concluded]
    for state in ItemState.allCases {
      #expect(state.isClosedLike == closedLike.contains(state), "\(state)")
      #expect(state.isOpen == open.contains(state), "\(state)")
    }
    // A duplicate is linked to its original and counted in its own column: neither open nor done.
    #expect(!ItemState.duplicate.isOpen)
    #expect(!ItemState.duplicate.isClosedLike)
  }

  @Test("states with no allowed move are exactly the terminal ones")
  func terminalStates() {
    let terminal = ItemState.allCases.filter { Lifecycle.allowedMoves(from: $0).isEmpty }
    #expect(Set(terminal) == [.notAccepted, .duplicate, .forwarded])
    // Closed is closed-like but can still be reopened (异议/new evidence).
    #expect(Lifecycle.allowedMoves(from: .closed) == [.reopen])
  }

  @Test("move command spellings")
  func moveCommands() {
    #expect(Move.notAccept.command == "not-accept")
    for move in Move.allCases {
      #expect(!move.command.contains("_"))
      #expect(move.command == move.rawValue.replacingOccurrences(of: "_", with: "-"))
    }
  }
}
