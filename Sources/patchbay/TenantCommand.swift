import ArgumentParser
import Patchbay

struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Manage tenants (workspaces).", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant with its first data key.",
            discussion: "SLUG is 1 to 40 lowercase letters, digits and dashes, e.g. acme or acme-eu.")

        @OptionGroup var common: CommonOptions

        @Argument(help: "The tenant's slug.")
        var slug: String

        @Option(help: "Display name (default: the slug).")
        var name: String?

        func run() async throws {
            try await common.withEnvironment("patchbay.tenant") { environment in
                let tenant = try await CLIErrors.reporting {
                    try await TenantService(environment: environment).create(
                        slug: slug, name: name, actor: .commandLine, request: .commandLine)
                }
                print(
                    "Created tenant \(tenant.slug) (\(tenant.name)), id \(tenant.id.uuidString.lowercased())."
                )
            }
        }
    }
}

/// Turns the domain's errors into command-line messages (exit code 1) instead of stack dumps.
enum CLIErrors {
    static func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as AppError {
            var message = error.message
            for (field, messages) in error.fields.sorted(by: { $0.key < $1.key }) {
                message += "\n  \(field): \(messages.joined(separator: "; "))"
            }
            FileHandleOutput.standardError("Error: \(message)\n")
            throw ExitCode.failure
        }
    }
}
