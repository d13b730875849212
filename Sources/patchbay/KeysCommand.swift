import ArgumentParser
import Patchbay

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Rotate encryption keys.",
        subcommands: [Rotate.self, RotateTenant.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rewrap every tenant's data keys under a new master key.",
            discussion: """
                Put the new key in PATCHBAY_MASTER_KEY (or the key file) and give the old one in \
                PATCHBAY_MASTER_KEY_PREVIOUS or --previous-key-file. Servers started with both keys keep \
                working during the rotation. Safe to run again; afterwards the old key can be dropped.
                """)

        @OptionGroup var common: CommonOptions

        @Option(help: "A key file holding the previous master key (mode 0600).")
        var previousKeyFile: String?

        func run() async throws {
            try await common.withEnvironment("patchbay.keys", previousKeyFile: previousKeyFile) {
                environment in
                let keys = environment.tenantKeys.masterKeys
                guard !keys.previous.isEmpty else {
                    throw ValidationError(
                        "No previous master key: set PATCHBAY_MASTER_KEY_PREVIOUS or pass --previous-key-file."
                    )
                }
                let report = try await CLIErrors.reporting {
                    try await KeyRotationService(environment: environment).rotateMaster()
                }
                print(
                    "Rewrapped \(report.tenantKeys) data keys and \(report.installationSecrets) installation "
                        + "secrets under master key \(keys.current.id).")
            }
        }
    }

    struct RotateTenant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-tenant",
            abstract: "Give a tenant a new data key and re-encrypt its stored credentials.",
            discussion: """
                Runs online: credentials are re-encrypted in small batches, each its own transaction, \
                while the server keeps running. Old key versions stay, so nothing becomes unreadable.
                """)

        @OptionGroup var common: CommonOptions

        @Argument(help: "The tenant's slug.")
        var slug: String

        @Option(help: "Connectors re-encrypted per transaction.")
        var batchSize = 200

        func run() async throws {
            try await common.withEnvironment("patchbay.keys") { environment in
                let report = try await CLIErrors.reporting {
                    try await KeyRotationService(environment: environment).rotateTenant(
                        slug: slug, batchSize: max(1, batchSize))
                }
                print(
                    "Tenant \(slug) now uses data key version \(report.version); re-encrypted \(report.reencrypted) connectors."
                )
            }
        }
    }
}
