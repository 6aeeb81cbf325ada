import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("Assignment never goes to the accused's own unit unless a leader overrides with a reason")
struct ConflictOfInterestTests {
  /// An accusation against 王某 of 市公安局, accepted on 2021-09-28.
  func accepted(_ scene: Scene) throws -> Item {
    let item = try scene.register()
    #expect(
      item.accused == [Accused(name: "王某", unitID: item.accused.first?.unitID, unitName: "市公安局", rank: "副局长")]
    )
    #expect(item.accused.first?.unitID != nil)
    return try scene.d.accept(item.ref, actor: "reg", .init(at: beijing("2021-09-28 10:00")))
  }

  @Test("assigning to the accused's unit is refused with the reason")
  func refused() throws {
    let scene = try Scene.make("conflict")
    let item = try accepted(scene)
    let error = expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.assign(item.ref, unit: "市公安局", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    }
    #expect(
      error?.description
        == "2021-JB-00001 cannot be assigned to 市公安局: an accused person belongs to that unit. A leader may override with --override-reason."
    )
    let after = try scene.reload(item.ref)
    #expect(after.item.state == .accepted)
    #expect(after.item.unitID == nil)
    #expect(after.item.version == item.version)
    #expect(after.events.map(\.event) == ["registered", "accept"])

    // Another unit is fine; re-assigning to the accused's unit later is refused as well.
    let assigned = try scene.d.assign(
      item.ref, unit: "第一纪检监察室", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    #expect(assigned.unitName == "第一纪检监察室")
    expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.assign(item.ref, unit: "市公安局", actor: "boss", .init(at: beijing("2021-09-30 10:00")))
    }
  }

  @Test("an override by a registrar is forbidden")
  func registrarOverride() throws {
    let scene = try Scene.make("conflictreg")
    let item = try accepted(scene)
    expectRefusal(.forbidden) { () throws(DocketError) in
      try scene.d.assign(
        item.ref, unit: "市公安局", overrideReason: "该局具备侦查条件", actor: "reg",
        .init(at: beijing("2021-09-29 10:00")))
    }
    #expect(try scene.reload(item.ref).item.state == .accepted)
  }

  @Test("a leader's override is allowed and journaled with its reason")
  func leaderOverride() throws {
    let scene = try Scene.make("conflictboss")
    let item = try accepted(scene)
    expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.assign(
        item.ref, unit: "市公安局", overrideReason: "   ", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    }
    let assigned = try scene.d.assign(
      item.ref, unit: "市公安局", overrideReason: "经常委会研究，由该局督察部门先行核查", actor: "boss",
      .init(at: beijing("2021-09-29 10:00")))
    #expect(assigned.state == .assigned)
    #expect(assigned.unitName == "市公安局")
    let event = try #require(try scene.reload(item.ref).events.last)
    #expect(event.event == "assign")
    #expect(event.actor == "boss")
    #expect(
      event.payload
        == #"{"conflict_override":"经常委会研究，由该局督察部门先行核查","entered_by":"admin","from":"accepted","to":"assigned","unit":"市公安局"}"#
    )
  }

  @Test("an accused's unit written before it was registered as a unit still counts")
  func unitByName() throws {
    let test = try TestDocket.make("conflictname")
    let d = test.docket
    let item = try d.intake(
      Office.call(at: beijing("2021-09-28 09:00"), accused: "李某", accusedUnit: "雷州市自然资源局"), actor: "admin")
    #expect(item.accused.first?.unitID == nil)
    #expect(item.accused.first?.unitName == "雷州市自然资源局")
    _ = try d.addUnit("雷州市自然资源局", actor: "admin")
    _ = try d.accept(item.ref, actor: "admin", .init(at: beijing("2021-09-28 10:00")))
    expectRefusal(.refused) { () throws(DocketError) in
      try d.assign(item.ref, unit: "雷州市自然资源局", actor: "admin", .init(at: beijing("2021-09-29 10:00")))
    }
  }

  @Test("a handler must belong to the unit assigned")
  func handlerOfAnotherUnit() throws {
    let scene = try Scene.make("handlerunit")
    let item = try accepted(scene)
    let error = expectRefusal(.refused) { () throws(DocketError) in
      try scene.d.assign(
        item.ref, unit: "第二纪检监察室", handler: "h1", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    }
    #expect(error?.description == "h1 belongs to 第一纪检监察室, not to 第二纪检监察室.")
    expectRefusal(.notFound) { () throws(DocketError) in
      try scene.d.assign(item.ref, unit: "第九纪检监察室", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    }
    let assigned = try scene.d.assign(
      item.ref, unit: "第二纪检监察室", handler: "h2", actor: "boss", .init(at: beijing("2021-09-29 10:00")))
    #expect(assigned.handlerLogin == "h2")
    #expect(assigned.unitName == "第二纪检监察室")
  }
}
