import ArgumentParser
import Foundation
import Logging
import Patchbay
import Postgres

struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Sync the platform catalog from the manifests in Seeds/connectors/.",
        discussion: """
            Idempotent and transactional: unchanged manifests are skipped, a higher version adds a \
            version, and a manifest that is invalid or changed without a version bump refuses the whole \
            run (nothing is written). Prints a summary.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: "Folder of manifests (default: Seeds/connectors under the root).")
    var from: String?

    func run() async throws {
        let logger = try common.makeLogger("patchbay.seed")
        defer { LogOutput.flush() }
        let paths = ProjectPaths(root: common.resolvedRoot())
        let started = ContinuousClock.now
        let summary = try await common.withPool(size: 2, logger: logger) { pool in
            let service = try CatalogService.make(
                database: Database(pool: pool), paths: paths, logger: logger)
            do {
                return try await service.syncPlatform(from: from ?? paths.seeds) { line in print(line) }
            } catch let error as ManifestLoadError {
                print(error.description)
                throw ExitCode(1)
            } catch let error as CatalogSyncRefused {
                print(error.description)
                throw ExitCode(1)
            }
        }
        let elapsed = ContinuousClock.now - started
        print("Catalog: \(summary) in \(elapsed.formatted(.units(allowed: [.milliseconds])))")
    }
}
