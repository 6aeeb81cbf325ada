import ArgumentParser
import DocketService
import Foundation

struct UnitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "unit", abstract: "Responsible units.", subcommands: [Add.self, List.self])

  struct Add: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "Add a unit.")
    @Argument(help: "The unit's name.") var name: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    func execute() throws(DocketError) {
      let unit = try connection.open().addUnit(name, actor: actor.actor)
      write("\(unit.name)\n")
    }
  }

  struct List: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "List units.")
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false
    func execute() throws(DocketError) {
      let units = try connection.open().units(actor: actor.actor)
      if json {
        return write(
          JSONValue.array(units.map { .object([("id", .number(Int64($0.id))), ("name", .string($0.name))]) }))
      }
      write(units.map { "\($0.name)\n" }.joined())
    }
  }
}

struct StaffCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "staff", abstract: "People and their roles.",
    subcommands: [Add.self, List.self, Map.self, Disable.self, Permissions.self])

  struct Add: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "Add a staff member.")
    @Argument(help: "The login (lower-case letters, digits, . _ -).") var login: String
    @Option(help: "The person's name.") var name: String
    @Option(help: "registrar, handler, leader, case-office, auditor, admin (repeatable).") var role: [Role]
    @Option(help: "The unit they belong to (required for handlers).") var unit: String?
    @Option(
      name: [.customLong("db-role"), .customLong("database-role")],
      help:
        "The person's own database role (created by the DBA); docket makes it a member of docket_staff, and it then acts as this person."
    )
    var databaseRole: String?
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    func execute() throws(DocketError) {
      let staff = try connection.open().addStaff(
        login: login, name: name, roles: Set(role), unit: unit, databaseRole: databaseRole, actor: actor.actor
      )
      write("\(staff.login)\n")
    }
  }

  struct Map: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Map a staff member to their own database role (created by the DBA), which then acts as them."
    )
    @Argument(help: "The login.") var login: String
    @Option(name: [.customLong("db-role"), .customLong("database-role")], help: "The database role.")
    var databaseRole: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    func execute() throws(DocketError) {
      try connection.open().mapStaff(login: login, databaseRole: databaseRole, actor: actor.actor)
      write("\(login) acts as the database role \(databaseRole).\n")
    }
  }

  struct Disable: DocketCommand {
    static let configuration = CommandConfiguration(
      abstract: "Disable a staff member: from then on they can do nothing, on any database role.")
    @Argument(help: "The login.") var login: String
    @Option(help: "Why (journaled).") var reason: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    func execute() throws(DocketError) {
      try connection.open().disableStaff(login: login, reason: reason, actor: actor.actor)
      write("\(login) disabled.\n")
    }
  }

  struct Permissions: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Which role may run which command (Markdown): ✓¹ means only for the handler's own unit.")
    func run() { write(CommandMatrix.markdown()) }
  }

  struct List: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "List staff.")
    @OptionGroup var actor: ActorOptions
    @OptionGroup var language: LanguageOption
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false
    func execute() throws(DocketError) {
      let staff = try connection.open().staff(actor: actor.actor)
      if json {
        return write(
          JSONValue.array(
            staff.map {
              .object([
                ("active", .bool($0.active)), ("login", .string($0.login)), ("name", .string($0.name)),
                ("roles", .array($0.roles.map(\.rawValue).sorted().map(JSONValue.string))),
                ("unit", .text($0.unitName)),
              ])
            }
          ))
      }
      let zh = language.language == .chinese
      var table = TextTable(headers: zh ? ["登录名", "姓名", "角色", "单位"] : ["Login", "Name", "Roles", "Unit"])
      for person in staff {
        table.append([
          person.login, person.name,
          person.roles.map { $0.label(language.language) }.sorted().joined(separator: "、"),
          person.unitName ?? "—",
        ])
      }
      write(table.render())
    }
  }
}

struct ConfigCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "The office's settings: office_timezone, reference_pattern.",
    subcommands: [Show.self, Set.self])

  struct Show: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "Print the settings.")
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Print JSON.") var json = false
    func execute() throws(DocketError) {
      let settings = try connection.open().settings(actor: actor.actor)
      if json { return write(JSONValue.object(settings.map { ($0.key, .string($0.value)) })) }
      write(settings.sorted(by: { $0.key < $1.key }).map { "\($0.key) = \($0.value)\n" }.joined())
    }
  }

  struct Set: DocketCommand {
    static let configuration = CommandConfiguration(abstract: "Change a setting.")
    @Argument(help: "office_timezone or reference_pattern.") var key: String
    @Argument(help: "The new value, e.g. Asia/Shanghai or {year}-{code}-{seq:5}.") var value: String
    @OptionGroup var actor: ActorOptions
    @OptionGroup var connection: ConnectionOptions
    func execute() throws(DocketError) {
      try connection.open().setSetting(key, value, actor: actor.actor)
      write("\(key) = \(value)\n")
    }
  }
}
