import DocketCore
import DocketService
import DocketTestSupport
import Foundation
import Testing

@Suite("Who is acting: --as, else DOCKET_USER, else the staff mapped to the database role")
struct ActorTests {
  @Test("an unknown login is not found, and nothing happens")
  func unknownLogin() throws {
    let scene = try Scene.make("unknownactor")
    let item = try scene.register()
    let error = expectRefusal(.notFound) { () throws(DocketError) in
      try scene.d.accept(item.ref, actor: "nobody", .init(at: beijing("2021-09-28 10:00")))
    }
    #expect(
      error?.description
        == "There is no staff member with login 'nobody'; list them with 'docket staff list'.")
    expectRefusal(.notFound) { () throws(DocketError) in
      try scene.d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: "nobody")
    }
    #expect(try scene.reload(item.ref).item == item)
    #expect(try scene.d.list(LedgerQuery(), actor: "aud").count == 1)
  }

  @Test("with no login and no DOCKET_USER, the administrator mapped to the database role acts")
  func databaseRole() throws {
    let scene = try Scene.make("dbrole")
    #expect(scene.test.environment["DOCKET_USER"] == nil)
    #expect(try scene.d.actor(nil).login == "admin")
    let item = try scene.d.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: nil)
    #expect(item.registeredBy == "admin")
    _ = try scene.d.accept(item.ref, actor: nil, .init(at: beijing("2021-09-28 10:00")))
    #expect(try scene.reload(item.ref).events.map(\.actor) == ["admin", "admin"])
  }

  @Test("DOCKET_USER names the actor when --as is not given, and --as wins over it")
  func docketUser() throws {
    let scene = try Scene.make("docketuser")
    var environment = scene.test.environment
    environment["DOCKET_USER"] = "reg"
    let asRegistrar = try Docket.open(environment: environment, sqlDirectory: TestCluster.shared.sqlDirectory)
    #expect(try asRegistrar.actor(nil).login == "reg")
    #expect(try asRegistrar.actor("boss").login == "boss")
    let item = try asRegistrar.intake(Office.call(at: beijing("2021-09-28 09:00")), actor: nil)
    #expect(item.registeredBy == "reg")
    expectRefusal(.forbidden) { () throws(DocketError) in
      try asRegistrar.assign(item.ref, unit: "第一纪检监察室", actor: nil, .init(at: beijing("2021-09-28 10:00")))
    }

    environment["DOCKET_USER"] = ""
    let blank = try Docket.open(environment: environment, sqlDirectory: TestCluster.shared.sqlDirectory)
    #expect(try blank.actor(nil).login == "admin")
    environment["DOCKET_USER"] = "ghost"
    let ghost = try Docket.open(environment: environment, sqlDirectory: TestCluster.shared.sqlDirectory)
    expectRefusal(.notFound) { () throws(DocketError) in try ghost.actor(nil) }
  }
}
