import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("Lifecycle moves through the service layer")
struct LifecycleServiceTests {
  @Test("an accusation goes from registration to closure, each move journaled")
  func fullPath() throws {
    let test = try TestDocket.make("full")
    let d = test.docket
    try Office.staff(d)
    let item = try d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "reg")
    #expect(item.ref == "2021-JB-00001")
    #expect(item.state == .registered)
    #expect(item.reporterKind == .realName)
    _ = try d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try d.assign(
      item.ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    _ = try d.start(item.ref, actor: "h1", .init(at: beijing("2021-09-30 10:00")))
    _ = try d.dispose(
      item.ref, disposal: .preliminaryVerification, actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    _ = try d.dispose(
      item.ref, disposal: nil, approve: true, actor: "boss", .init(at: beijing("2021-10-09 10:00")))
    _ = try d.conclude(
      item.ref, finding: .partlySubstantiated, actor: "h1", .init(at: beijing("2021-11-01 10:00")))
    let closed = try d.close(item.ref, actor: "cm", .init(at: beijing("2021-11-30 23:30")))
    #expect(closed.state == .closed)
    #expect(closed.stateSince == beijing("2021-11-30 23:30"))
    #expect(closed.finding == .partlySubstantiated)
    let history = try d.show(item.ref, actor: "aud")
    #expect(
      history.events.map(\.event) == [
        "registered", "accept", "assign", "start", "dispose", "dispose", "conclude", "close",
      ])
    #expect(history.events.map(\.actor) == ["reg", "reg", "boss", "h1", "h1", "boss", "h1", "cm"])
    #expect(try d.verifyJournal(actor: "aud").isIntact)
  }

  @Test("a move the state machine does not allow names the state and the allowed moves, and changes nothing")
  func refusedMove() throws {
    let scene = try Scene.make("refusedmove")
    let item = try scene.register()
    let error = expectRefusal(.transition) { () throws(DocketError) in
      try scene.d.close(item.ref, actor: "cm", .init(at: beijing("2021-09-28 10:00")))
    }
    #expect(
      error?.description
        == "2021-JB-00001: cannot close: the item is registered (已登记), and the allowed moves are: accept, not-accept, duplicate, forward."
    )
    let after = try scene.reload(item.ref)
    #expect(after.item == item)
    #expect(after.item.version == item.version)
    #expect(after.events.map(\.event) == ["registered"])

    _ = try scene.d.forward(item.ref, to: "雷州市信访局", actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    let done = expectRefusal(.transition) { () throws(DocketError) in
      try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 11:00")))
    }
    #expect(
      done?.description
        == "2021-JB-00001: cannot accept: the item is forwarded (已转送), and no move is allowed from there.")
  }

  @Test("each role makes only its own moves")
  func permissions() throws {
    let scene = try Scene.make("permissions")
    let d = scene.d
    let item = try scene.register()
    let ref = item.ref
    let at = MoveOptions(at: beijing("2021-09-28 10:00"))
    let handlerAccepts = expectRefusal(.forbidden) { () throws(DocketError) in
      try d.accept(ref, actor: "h1", at)
    }
    #expect(handlerAccepts?.description == "h1 may not accept items (受理); ask a colleague with that role.")
    expectRefusal(.forbidden) { () throws(DocketError) in try d.accept(ref, actor: "cm", at) }
    _ = try d.accept(ref, actor: "reg", at)

    let later = MoveOptions(at: beijing("2021-09-29 10:00"))
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.assign(ref, unit: "第一纪检监察室", actor: "reg", later)
    }
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.assign(ref, unit: "第一纪检监察室", actor: "h1", later)
    }
    _ = try d.assign(ref, unit: "第一纪检监察室", handler: "h1", actor: "boss", later)
    _ = try d.start(ref, actor: "h1", .init(at: beijing("2021-09-30 10:00")))
    _ = try d.dispose(ref, disposal: .closeOff, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    _ = try d.conclude(ref, finding: .unsubstantiated, actor: "h1", .init(at: beijing("2021-10-20 10:00")))
    let closeAt = MoveOptions(at: beijing("2021-10-21 10:00"))
    expectRefusal(.forbidden) { () throws(DocketError) in try d.close(ref, actor: "reg", closeAt) }
    expectRefusal(.forbidden) { () throws(DocketError) in try d.close(ref, actor: "h1", closeAt) }
    let concluded = try scene.reload(ref)
    #expect(concluded.item.state == .concluded)
    #expect(concluded.events.count == 6)
    _ = try d.close(ref, actor: "cm", closeAt)
    #expect(try scene.reload(ref).item.state == .closed)
    expectRefusal(.forbidden) { () throws(DocketError) in
      try d.reopen(ref, reason: "举报人提出异议", actor: "h1", .init(at: beijing("2021-11-01 10:00")))
    }
  }

  @Test("an auditor can move nothing")
  func auditorMovesNothing() throws {
    let scene = try Scene.make("auditor")
    let d = scene.d
    let registered = try scene.register().ref
    let handling = try scene.handling().ref
    let at = MoveOptions(at: beijing("2021-10-08 10:00"))
    let attempts: [(String, () throws(DocketError) -> Item)] = [
      ("accept", { () throws(DocketError) in try d.accept(registered, actor: "aud", at) }),
      (
        "not-accept",
        { () throws(DocketError) in try d.notAccept(registered, reason: "不属于受理范围", actor: "aud", at) }
      ),
      (
        "duplicate",
        { () throws(DocketError) in try d.markDuplicate(registered, of: handling, actor: "aud", at) }
      ),
      ("forward", { () throws(DocketError) in try d.forward(registered, to: "雷州市信访局", actor: "aud", at) }),
      ("assign", { () throws(DocketError) in try d.assign(handling, unit: "第二纪检监察室", actor: "aud", at) }),
      ("start", { () throws(DocketError) in try d.start(handling, actor: "aud", at) }),
      (
        "dispose",
        { () throws(DocketError) in try d.dispose(handling, disposal: .talkInquiry, actor: "aud", at) }
      ),
      ("hold", { () throws(DocketError) in try d.hold(handling, until: "2021-11-08", actor: "aud", at) }),
      ("resume", { () throws(DocketError) in try d.resume(handling, actor: "aud", at) }),
      (
        "conclude",
        { () throws(DocketError) in try d.conclude(handling, finding: .substantiated, actor: "aud", at) }
      ),
      ("close", { () throws(DocketError) in try d.close(handling, actor: "aud", at) }),
      ("reopen", { () throws(DocketError) in try d.reopen(handling, reason: "新证据", actor: "aud", at) }),
    ]
    for (name, attempt) in attempts {
      let error = expectRefusal(.forbidden) { () throws(DocketError) in try attempt() }
      #expect(
        error?.description.hasPrefix("aud may not \(name) items") == true, "\(error?.description ?? "")")
    }
    #expect(try scene.reload(registered).events.count == 1)
    #expect(try scene.reload(handling).events.count == 4)
  }

  @Test("not accepting and reopening need a reason, which the journal keeps")
  func reasons() throws {
    let scene = try Scene.make("reasons")
    let item = try scene.register()
    let at = MoveOptions(at: beijing("2021-09-28 10:00"))
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.notAccept(item.ref, reason: "  ", actor: "reg", at)
    }
    #expect(error?.description == "This move needs a reason (--reason).")
    let refused = try scene.d.notAccept(item.ref, reason: "不属于纪检监察机关受理范围", actor: "reg", at)
    #expect(refused.state == .notAccepted)
    #expect(refused.state.isClosedLike)
    #expect(
      try scene.reload(item.ref).events.last?.payload
        == #"{"entered_by":"admin","from":"registered","reason":"不属于纪检监察机关受理范围","to":"not_accepted"}"#)

    let closed = try closedItem(scene)
    expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.reopen(closed.ref, reason: "", actor: "boss", .init(at: beijing("2021-11-01 10:00")))
    }
    #expect(try scene.reload(closed.ref).item.state == .closed)
  }

  @Test("a duplicate links to the original, through a chain to its first item, and never to itself")
  func duplicates() throws {
    let scene = try Scene.make("duplicates")
    let a = try scene.register(Office.call(at: beijing("2021-09-28 09:00")))
    let b = try scene.register(Office.call(at: beijing("2021-09-29 09:00")))
    let c = try scene.register(Office.call(at: beijing("2021-09-30 09:00")))
    let at = MoveOptions(at: beijing("2021-10-08 10:00"))

    let self_ = expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.markDuplicate(a.ref, of: a.ref, actor: "reg", at)
    }
    #expect(self_?.description == "2021-JB-00001 cannot be a duplicate of itself.")
    expectRefusal(.notFound) { () throws(DocketError) in
      try scene.d.markDuplicate(a.ref, of: "2021-JB-09999", actor: "reg", at)
    }

    let second = try scene.d.markDuplicate(b.ref, of: a.ref, actor: "reg", at)
    #expect(second.state == .duplicate)
    #expect(second.duplicateOfRef == "2021-JB-00001")
    #expect(second.duplicateOfID == a.id)
    let third = try scene.d.markDuplicate(c.ref, of: b.ref, actor: "reg", at)
    #expect(third.duplicateOfRef == "2021-JB-00001")
    #expect(
      try scene.reload(c.ref).events.last?.payload
        == #"{"entered_by":"admin","from":"registered","original":"2021-JB-00001","to":"duplicate"}"#)

    // The original cannot in turn be marked a duplicate of its own duplicate.
    let loop = expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.markDuplicate(a.ref, of: c.ref, actor: "reg", at)
    }
    #expect(loop?.description == "2021-JB-00001 is itself the original of 2021-JB-00003.")
    #expect(try scene.reload(a.ref).item.state == .registered)
    #expect(try scene.reload(a.ref).events.count == 1)
  }

  @Test("forwarding records the body it went to")
  func forwarding() throws {
    let scene = try Scene.make("forward")
    let item = try scene.register()
    expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.forward(item.ref, to: " ", actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    }
    let forwarded = try scene.d.forward(
      item.ref, to: "雷州市人民检察院", actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    #expect(forwarded.state == .forwarded)
    #expect(forwarded.forwardedTo == "雷州市人民检察院")
    // The journal keeps both the state moved to and the body.
    #expect(
      try scene.reload(item.ref).events.last?.payload
        == #"{"entered_by":"admin","forwarded_to":"雷州市人民检察院","from":"registered","to":"forwarded"}"#)

    // An accepted item may be forwarded too.
    let accepted = try scene.register(Office.call(at: beijing("2021-09-28 11:00")))
    _ = try scene.d.accept(accepted.ref, actor: "reg", .init(at: beijing("2021-09-28 12:00")))
    #expect(
      try scene.d.forward(accepted.ref, to: "湛江市纪委监委", actor: "reg", .init(at: beijing("2021-09-29 09:00")))
        .forwardedTo == "湛江市纪委监委")
  }

  @Test("a hold needs a review date after the day of the move; resume clears it")
  func holdAndResume() throws {
    let scene = try Scene.make("hold")
    let item = try scene.handling()
    let at = MoveOptions(at: beijing("2021-10-08 10:00"))
    for until in ["2021-10-08", "2021-10-01", "下个月"] {
      expectRefusal(.invalid) { () throws(DocketError) in
        try scene.d.hold(item.ref, until: until, actor: "h1", at)
      }
    }
    #expect(try scene.reload(item.ref).item.state == .handling)
    let held = try scene.d.hold(item.ref, until: "2021-11-08", actor: "h1", at)
    #expect(held.state == .onHold)
    #expect(held.holdUntil == "2021-11-08")
    #expect(held.stateSince == beijing("2021-10-08 10:00"))
    let onHold = expectRefusal(.transition) { () throws(DocketError) in
      try scene.d.conclude(
        item.ref, finding: .substantiated, actor: "h1", .init(at: beijing("2021-10-09 10:00")))
    }
    #expect(onHold?.description.contains("the allowed moves are: resume.") == true)
    let resumed = try scene.d.resume(item.ref, actor: "h1", .init(at: beijing("2021-11-08 09:00")))
    #expect(resumed.state == .handling)
    #expect(resumed.holdUntil == nil)
    #expect(resumed.stateSince == beijing("2021-11-08 09:00"))

    // The disposal 暂存待查 puts a clue on hold the same way.
    let clue = try scene.handling(.clue, subject: "某所长涉嫌充当黑恶势力保护伞")
    expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.dispose(clue.ref, disposal: .hold, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    }
    let parked = try scene.d.dispose(
      clue.ref, disposal: .hold, until: "2022-01-10", actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    #expect(parked.state == .onHold)
    #expect(parked.holdUntil == "2022-01-10")
    #expect(parked.disposal == .hold)
  }

  @Test("a petition takes no disposal and is concluded with a petition finding")
  func petition() throws {
    let scene = try Scene.make("petition")
    let item = try scene.handling(.petition, subject: "要求解决拖欠工资问题")
    let error = expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.dispose(
        item.ref, disposal: .talkInquiry, actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    }
    #expect(error?.description.contains("only clues and accusations take a disposal") == true)
    expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.conclude(
        item.ref, finding: .substantiated, actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    }
    let concluded = try scene.d.conclude(
      item.ref, finding: .support, actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    #expect(concluded.state == .concluded)
    #expect(concluded.finding == .support)
    #expect(concluded.disposal == nil)
  }

  @Test("a clue or accusation is concluded only after a leader has approved its disposal")
  func disposalApproval() throws {
    let scene = try Scene.make("approval")
    let item = try scene.handling()
    let ref = item.ref
    let noDisposal = expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.conclude(ref, finding: .substantiated, actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    }
    #expect(noDisposal?.description.contains("needs an approved disposal") == true)

    let proposed = try scene.d.dispose(
      ref, disposal: .talkInquiry, actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    #expect(proposed.state == .handling)
    #expect(proposed.disposal == .talkInquiry)
    #expect(!proposed.disposalApproved)
    expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.conclude(ref, finding: .substantiated, actor: "h1", .init(at: beijing("2021-10-09 10:00")))
    }
    expectRefusal(.forbidden) { () throws(DocketError) in
      try scene.d.dispose(
        ref, disposal: nil, approve: true, actor: "h1", .init(at: beijing("2021-10-09 10:00")))
    }
    let approved = try scene.d.dispose(
      ref, disposal: nil, approve: true, actor: "boss", .init(at: beijing("2021-10-09 10:00")))
    #expect(approved.disposal == .talkInquiry)
    #expect(approved.disposalApproved)
    #expect(
      try scene.reload(ref).events.last?.payload
        == #"{"approved":"true","disposal":"talk_inquiry","entered_by":"admin","from":"handling","to":"handling"}"#
    )

    // A handler changing the disposal withdraws the approval.
    let changed = try scene.d.dispose(
      ref, disposal: .fileCase, actor: "h1", .init(at: beijing("2021-10-10 10:00")))
    #expect(changed.disposal == .fileCase)
    #expect(!changed.disposalApproved)
    expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.conclude(ref, finding: .substantiated, actor: "h1", .init(at: beijing("2021-10-11 10:00")))
    }

    // A leader's own disposal is approved at once.
    let leaders = try scene.d.dispose(
      ref, disposal: .preliminaryVerification, actor: "boss", .init(at: beijing("2021-10-12 10:00")))
    #expect(leaders.disposalApproved)
    let concluded = try scene.d.conclude(
      ref, finding: .largelySubstantiated, actor: "h1", .init(at: beijing("2021-10-20 10:00")))
    #expect(concluded.state == .concluded)
    #expect(concluded.finding == .largelySubstantiated)
    #expect(concluded.stateSince == beijing("2021-10-20 10:00"))
  }

  @Test("a petition finding on an accusation is refused, with the findings that fit")
  func findingMustFit() throws {
    let scene = try Scene.make("findingfit")
    let item = try scene.handling()
    _ = try scene.d.dispose(
      item.ref, disposal: .closeOff, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    let error = expectRefusal(.invalid) { () throws(DocketError) in
      try scene.d.conclude(item.ref, finding: .support, actor: "h1", .init(at: beijing("2021-10-09 10:00")))
    }
    #expect(
      error?.description.contains(
        "use one of: substantiated, largely-substantiated, partly-substantiated, unsubstantiated")
        == true)
    #expect(try scene.reload(item.ref).item.state == .handling)
    #expect(try scene.reload(item.ref).item.finding == nil)
  }

  @Test("a finding of false accusation needs a leader")
  func falseAccusation() throws {
    let scene = try Scene.make("falseaccusation")
    let item = try scene.handling()
    _ = try scene.d.dispose(
      item.ref, disposal: .preliminaryVerification, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    let error = expectRefusal(.forbidden) { () throws(DocketError) in
      try scene.d.conclude(
        item.ref, finding: .unsubstantiated, falseAccusation: true, actor: "h1",
        .init(at: beijing("2021-10-20 10:00")))
    }
    #expect(error?.description.contains("诬告陷害") == true)
    #expect(try scene.reload(item.ref).item.state == .handling)
    let concluded = try scene.d.conclude(
      item.ref, finding: .unsubstantiated, falseAccusation: true, actor: "boss",
      .init(at: beijing("2021-10-20 10:00")))
    #expect(concluded.falseAccusation)
    #expect(concluded.finding == .unsubstantiated)
    #expect(
      try scene.reload(item.ref).events.last?.payload
        == #"{"entered_by":"admin","false_accusation":"true","finding":"unsubstantiated","from":"handling","to":"concluded"}"#
    )
  }

  @Test("reopening a closed item returns it to handling without its finding or disposal approval")
  func reopen() throws {
    let scene = try Scene.make("reopen")
    let closed = try closedItem(scene, falseAccusation: true)
    #expect(closed.finding == .unsubstantiated)
    #expect(closed.falseAccusation)
    let reopened = try scene.d.reopen(
      closed.ref, reason: "举报人提出异议并提供新证据", actor: "boss", .init(at: beijing("2021-11-15 10:00")))
    #expect(reopened.state == .handling)
    #expect(reopened.stateSince == beijing("2021-11-15 10:00"))
    #expect(reopened.finding == nil)
    #expect(!reopened.falseAccusation)
    #expect(reopened.unitName == "第一纪检监察室")
    #expect(reopened.handlerLogin == "h1")
    #expect(
      try scene.reload(closed.ref).events.last?.payload
        == #"{"entered_by":"admin","from":"closed","reason":"举报人提出异议并提供新证据","to":"handling"}"#)
    #expect(!reopened.disposalApproved)
    expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.conclude(
        closed.ref, finding: .partlySubstantiated, actor: "h1", .init(at: beijing("2021-11-20 10:00")))
    }
    _ = try scene.d.dispose(
      closed.ref, disposal: .fileCase, actor: "boss", .init(at: beijing("2021-11-25 10:00")))
    let again = try scene.d.conclude(
      closed.ref, finding: .partlySubstantiated, actor: "h1", .init(at: beijing("2021-12-01 10:00")))
    #expect(again.finding == .partlySubstantiated)
  }

  @Test("a handler's proposal to hold a clue waits in handling until the leader approves it")
  func holdDisposal() throws {
    let scene = try Scene.make("holddisp")
    let item = try scene.handling(.clue, subject: "反映某干部违规经商")
    let proposed = try scene.d.dispose(
      item.ref, disposal: .hold, until: "2022-03-01", actor: "h1", .init(at: beijing("2021-10-08 10:00")))
    #expect(proposed.state == .handling)
    #expect(proposed.disposal == .hold)
    #expect(!proposed.disposalApproved)
    #expect(proposed.holdUntil == "2022-03-01")
    let approved = try scene.d.dispose(
      item.ref, disposal: nil, approve: true, actor: "boss", .init(at: beijing("2021-10-09 10:00")))
    #expect(approved.state == .onHold)
    #expect(approved.stateSince == beijing("2021-10-09 10:00"))
    #expect(approved.disposalApproved)
    #expect(approved.holdUntil == "2022-03-01")
    #expect(
      try scene.reload(item.ref).events.last?.payload
        == #"{"approved":"true","disposal":"hold","entered_by":"admin","from":"handling","to":"on_hold","until":"2022-03-01"}"#
    )
    let resumed = try scene.d.resume(item.ref, actor: "h1", .init(at: beijing("2022-03-01 09:00")))
    #expect(resumed.state == .handling)
    #expect(resumed.holdUntil == nil)
  }

  @Test("a handler works only on the items of their own unit; another unit's item is not there for them")
  func handlerScope() throws {
    let scene = try Scene.make("scope")
    let item = try scene.register()
    _ = try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
    _ = try scene.d.assign(item.ref, unit: "第一纪检监察室", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    let error = expectRefusal(.notFound) { () throws(DocketError) in
      try scene.d.start(item.ref, actor: "h2", .init(at: beijing("2021-09-30 10:00")))
    }
    #expect(error?.description == "There is no item \(item.ref).")
    #expect(try scene.reload(item.ref).item.state == .assigned)
    let started = try scene.d.start(item.ref, actor: "h1", .init(at: beijing("2021-09-30 10:00")))
    #expect(started.handlerLogin == "h1")
    expectRefusal(.notFound) { () throws(DocketError) in
      try scene.d.hold(item.ref, until: "2021-12-01", actor: "h2", .init(at: beijing("2021-10-01 10:00")))
    }
    // Someone who also registers sees every unit's items, but handles only their own unit's.
    _ = try scene.d.addStaff(
      login: "both", name: "登记兼承办", roles: [.registrar, .handler], unit: "第二纪检监察室", actor: "admin")
    let both = expectRefusal(.forbidden) { () throws(DocketError) in
      try scene.d.hold(item.ref, until: "2021-12-01", actor: "both", .init(at: beijing("2021-10-01 10:00")))
    }
    #expect(both?.description.contains("which is assigned to 第一纪检监察室 and not to 第二纪检监察室") == true)
  }

  /// An accusation handled by h1 and closed on 2021-10-21.
  func closedItem(_ scene: Scene, falseAccusation: Bool = false) throws -> Item {
    let item = try scene.handling(subject: "反映某所长违规收费")
    _ = try scene.d.dispose(
      item.ref, disposal: .preliminaryVerification, actor: "boss", .init(at: beijing("2021-10-08 10:00")))
    _ = try scene.d.conclude(
      item.ref, finding: .unsubstantiated, falseAccusation: falseAccusation, actor: "boss",
      .init(at: beijing("2021-10-20 10:00")))
    return try scene.d.close(item.ref, actor: "cm", .init(at: beijing("2021-10-21 10:00")))
  }
}
