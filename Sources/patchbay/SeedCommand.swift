import ArgumentParser

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        throw ValidationError("not implemented yet")
    }
}
