import ArgumentParser
import Patchbay

/// `patchbay demo`: a ready-to-use login for trying Patchbay out, created once and kept afterwards.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create the demo workspaces and logins (safe to run again).",
        discussion: """
            Creates the tenants `demo` and `demo-labs`, the owner demo@patchbay.local (owner of both) and \
            viewer@patchbay.local (viewer of `demo`). New accounts get PATCHBAY_DEMO_PASSWORD or a random \
            password, printed once. With PATCHBAY_DEMO_PASSWORD set, existing demo accounts are reset to it.
            """)

    @OptionGroup var common: CommonOptions

    static let owner = (email: "demo@patchbay.local", name: "Demo Owner")
    static let viewer = (email: "viewer@patchbay.local", name: "Demo Viewer")
    static let tenants = [("demo", "Demo Workspace"), ("demo-labs", "Demo Labs")]

    func run() async throws {
        let fixedPassword = common.environment["PATCHBAY_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        try await common.withEnvironment("patchbay.demo") { environment in
            try await CLIErrors.reporting {
                let tenants = TenantService(environment: environment)
                for (slug, name) in Self.tenants where try await tenants.find(slug: slug) == nil {
                    _ = try await tenants.create(
                        slug: slug, name: name, actor: .commandLine, request: .commandLine)
                }
                let generated = try fixedPassword ?? UserService.randomPassword()
                var lines: [String] = []
                for (account, role, slugs) in [
                    (Self.owner, Role.owner, ["demo", "demo-labs"]), (Self.viewer, Role.viewer, ["demo"]),
                ] {
                    let password = try await ensure(
                        account, password: generated, reset: fixedPassword != nil, environment: environment)
                    for slug in slugs {
                        try await UserService(environment: environment).grant(
                            email: account.email, tenantSlug: slug, role: role, actor: .commandLine,
                            request: .commandLine)
                    }
                    let shown =
                        password ?? "(unchanged; set PATCHBAY_DEMO_PASSWORD and run again to reset it)"
                    lines.append(
                        "  \(role.label.padding(toLength: 7, withPad: " ", startingAt: 0)) \(account.email)  \(shown)"
                    )
                }
                print("Demo workspaces: Demo Workspace (demo), Demo Labs (demo-labs). Logins:")
                for line in lines { print(line) }
            }
        }
    }

    /// Creates the account when missing (returning its password), or resets it when asked to.
    private func ensure(
        _ account: (email: String, name: String), password: String, reset: Bool, environment: AppEnvironment
    ) async throws -> String? {
        let users = UserService(environment: environment)
        if let existing = try await users.find(email: account.email) {
            guard reset else { return nil }
            try await users.setPassword(
                userID: existing.id, password: password, actor: .commandLine, request: .commandLine)
            return password
        }
        _ = try await users.create(
            email: account.email, name: account.name, password: password, actor: .commandLine,
            request: .commandLine)
        return password
    }
}
