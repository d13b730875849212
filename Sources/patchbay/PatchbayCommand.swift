import ArgumentParser

@main
struct PatchbayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patchbay",
        abstract: "Patchbay — a self-hosted connector hub.",
        discussion: """
            Settings come from flags first, then environment variables, then defaults.
            DATABASE_URL names the PostgreSQL database (postgresql://user:pass@host:port/db).
            See README.md for every variable.
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self, TenantCommand.self, UserCommand.self,
            TokenCommand.self, KeysCommand.self, DemoCommand.self, WorkerCommand.self,
        ],
        defaultSubcommand: nil
    )
}
