import ArgumentParser

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve")
    @OptionGroup var common: CommonOptions

    func run() async throws {
        throw ValidationError("not implemented yet")
    }
}
