import ArgumentParser
import Logging
import Patchbay
import Postgres

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply pending migrations from Migrations/ (each once, in its own transaction).",
        discussion: "With --status, only report what is applied, pending or edited.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Report the state of every migration without applying anything.")
    var status = false

    func run() async throws {
        let logger = try common.makeLogger("patchbay.migrate")
        defer { LogOutput.flush() }
        let paths = ProjectPaths(root: common.resolvedRoot())
        try await common.withPool(size: 1, logger: logger) { pool in
            try await migrate(pool: pool, paths: paths, logger: logger)
        }
    }

    private func migrate(pool: PostgresPool, paths: ProjectPaths, logger: Logger) async throws {
        let migrator = try Migrator(pool: pool, directory: paths.migrations, logger: logger)
        if status {
            let report = try await migrator.status()
            print("applied: \(report.applied.count), pending: \(report.pending.count)")
            for file in report.modified { print("edited after being applied: \(file)") }
            for migration in report.pending { print("pending: \(migration.fileName)") }
            if !report.isCurrent { throw ExitCode(1) }
            return
        }
        let applied = try await migrator.migrate()
        if applied.isEmpty {
            print("Migrations: up to date.")
        } else {
            for migration in applied { print("Applied \(migration.fileName)") }
        }
    }
}
