import ArgumentParser

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        throw ValidationError("not implemented yet")
    }
}
