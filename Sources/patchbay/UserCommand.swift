import ArgumentParser
import Patchbay

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage user accounts.", subcommands: [Create.self, Grant.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user account.",
            discussion: """
                The password is asked on the terminal (not echoed), or read as the first line of standard \
                input with --password-stdin. It is never taken from an argument, which other users could \
                see in the process list.
                """)

        @OptionGroup var common: CommonOptions

        @Argument(help: "The account's email address.")
        var email: String

        @Option(help: "Display name.")
        var name: String?

        @Flag(help: "Make the account a platform superuser.")
        var superuser = false

        @Flag(help: "Read the password from the first line of standard input.")
        var passwordStdin = false

        func run() async throws {
            let password = try PasswordInput.read(fromStandardInput: passwordStdin, confirm: true)
            try await common.withEnvironment("patchbay.user") { environment in
                let user = try await CLIErrors.reporting {
                    try await UserService(environment: environment).create(
                        email: email, name: name, password: password, isSuperuser: superuser,
                        actor: .commandLine,
                        request: .commandLine)
                }
                print("Created user \(user.email)\(user.isSuperuser ? " (superuser)" : "").")
            }
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a user a role in a tenant (adding or changing the membership).")

        @OptionGroup var common: CommonOptions

        @Argument(help: "The account's email address.")
        var email: String

        @Option(help: "The tenant's slug.")
        var tenant: String

        @Option(help: "owner, admin, developer or viewer.")
        var role: String

        func run() async throws {
            guard let role = Role(parsing: role) else {
                throw ValidationError("--role must be one of owner, admin, developer, viewer.")
            }
            try await common.withEnvironment("patchbay.user") { environment in
                let member = try await CLIErrors.reporting {
                    try await UserService(environment: environment).grant(
                        email: email, tenantSlug: tenant, role: role, actor: .commandLine,
                        request: .commandLine)
                }
                print("\(member.email) is now \(member.role.rawValue) of \(tenant).")
            }
        }
    }
}
