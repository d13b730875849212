import ArgumentParser
import Patchbay

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token for automation and print it once.",
            discussion: "Only the token's hash is stored: copy it from the output, it cannot be shown again.")

        @OptionGroup var common: CommonOptions

        @Option(help: "The tenant's slug.")
        var tenant: String

        @Option(help: "owner, admin, developer or viewer.")
        var role: String

        @Option(help: "A name to recognise the token by.")
        var name: String

        @Option(help: "Days until the token expires (default: never).")
        var expiresInDays: Int?

        @Option(
            help: "Bind the token to an agent id: a viewer token that may also query that agent's connectors."
        )
        var agentId: String?

        func run() async throws {
            guard let role = Role(parsing: role) else {
                throw ValidationError("--role must be one of owner, admin, developer, viewer.")
            }
            try await common.withEnvironment("patchbay.token") { environment in
                let created = try await CLIErrors.reporting {
                    try await APITokenService(environment: environment).createForAutomation(
                        tenantSlug: tenant, name: name, role: role, expiresInDays: expiresInDays,
                        agentID: agentId, request: .commandLine)
                }
                // The secret alone on standard output, so `TOKEN=$(patchbay token create ...)` works.
                FileHandleOutput.standardError(
                    "Created token \(created.token.name) (\(role.rawValue) of \(tenant)). It is shown only now:\n"
                )
                print(created.secret)
            }
        }
    }
}
