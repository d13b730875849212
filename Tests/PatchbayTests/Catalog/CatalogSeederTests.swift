import Foundation
import JSON
import Logging
import Patchbay
import Postgres
import TestSupport
import XCTest

final class CatalogSeederTests: XCTestCase {
    private func service(_ database: TestDatabase) throws -> CatalogService {
        try CatalogService.make(
            database: Database(pool: database.pool), paths: ProjectPaths(root: ProjectRoot.path),
            logger: Logger(label: "test"))
    }

    /// A fresh migrated database with the slack manifest synced from temporary seeds by a node
    /// ("A"); the caller removes the seeds.
    private func slackSyncedByNodeA() async throws -> (TestDatabase, TemporarySeeds, CatalogService) {
        let database = try await TestDatabase.create()
        addTeardownBlock { await database.drop() }
        try await database.migrate()
        let seeds = try TemporarySeeds.copy(keys: ["slack"])
        do {
            let nodeA = try service(database)
            _ = try await nodeA.syncPlatform(from: seeds.path)
            return (database, seeds, nodeA)
        } catch {
            seeds.remove()
            throw error
        }
    }

    private func fingerprint(_ database: TestDatabase) async throws -> [String] {
        try await Database(pool: database.pool).system(readOnly: true) { connection in
            try await connection.query(
                """
                SELECT c.key || '@' || v.version || ':' || v.checksum || ':' || (c.latest_version_id = v.id)::text AS row
                FROM catalog_connectors c JOIN catalog_versions v ON v.connector_id = c.id ORDER BY 1
                """
            ).map { try $0.decode("row", as: String.self) }
        }
    }

    func testSeedingTwiceChangesNothing() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { await database.drop() }
        try await database.migrate()
        let catalog = try service(database)
        let seeds = ProjectRoot.path + "/Seeds/connectors"

        let first = try await catalog.syncPlatform(from: seeds)
        XCTAssertGreaterThanOrEqual(first.added.count, 100)
        let before = try await fingerprint(database)
        XCTAssertEqual(before.count, first.added.count)

        let second = try await catalog.syncPlatform(from: seeds)
        XCTAssertEqual(second.added, [])
        XCTAssertEqual(second.upgraded, [])
        XCTAssertEqual(second.unchanged.count, first.added.count)
        let after = try await fingerprint(database)
        XCTAssertEqual(before, after)
    }

    func testAVersionBumpAddsExactlyOneVersionAndMovesTheLatestPointer() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { await database.drop() }
        try await database.migrate()
        let catalog = try service(database)
        let seeds = try TemporarySeeds.copy(keys: ["slack", "stripe", "postgresql"])
        defer { seeds.remove() }
        _ = try await catalog.syncPlatform(from: seeds.path)
        let before = try await fingerprint(database)

        try seeds.setVersion("stripe", to: "1.1.0")
        try seeds.edit("stripe") {
            $0.replacingOccurrences(of: "\"name\": \"Stripe\"", with: "\"name\": \"Stripe Payments\"")
        }
        let summary = try await catalog.syncPlatform(from: seeds.path)
        XCTAssertEqual(summary.upgraded, ["stripe"])
        XCTAssertEqual(summary.unchanged.sorted(), ["postgresql", "slack"])

        let after = try await fingerprint(database)
        XCTAssertEqual(after.count, before.count + 1)
        XCTAssertTrue(after.contains { $0.hasPrefix("stripe@1.1.0:") && $0.hasSuffix(":true") })
        XCTAssertTrue(after.contains { $0.hasPrefix("stripe@1.0.0:") && $0.hasSuffix(":false") })
        let entry = try await catalog.entry(tenantID: nil, key: "stripe")
        XCTAssertEqual(entry.manifest.name, "Stripe Payments")
        let versions = try await catalog.versions(tenantID: nil, key: "stripe")
        XCTAssertEqual(versions.map(\.version), ["1.1.0", "1.0.0"])
    }

    func testAChangedManifestWithTheSameVersionRefusesTheWholeRun() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { await database.drop() }
        try await database.migrate()
        let catalog = try service(database)
        let seeds = try TemporarySeeds.copy(keys: ["slack", "stripe"])
        defer { seeds.remove() }
        _ = try await catalog.syncPlatform(from: seeds.path)
        let before = try await fingerprint(database)

        // One legitimate upgrade and one silent change in the same run: neither may land.
        try seeds.setVersion("slack", to: "1.0.1")
        try seeds.edit("stripe") {
            $0.replacingOccurrences(of: "\"name\": \"Stripe\"", with: "\"name\": \"Sneaky\"")
        }
        do {
            _ = try await catalog.syncPlatform(from: seeds.path)
            XCTFail("the run should be refused")
        } catch let error as CatalogSyncRefused {
            XCTAssertEqual(error.summary.refused.map(\.0), ["stripe"])
            XCTAssertTrue(error.description.contains("new version"))
        }
        let after = try await fingerprint(database)
        XCTAssertEqual(before, after)
    }

    func testABrokenManifestFailsTheRunAndLeavesTheDatabaseAsItWas() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { await database.drop() }
        try await database.migrate()
        let catalog = try service(database)
        let seeds = try TemporarySeeds.copy(keys: ["slack", "stripe", "github"])
        defer { seeds.remove() }
        _ = try await catalog.syncPlatform(from: seeds.path)
        let before = try await fingerprint(database)

        try seeds.setVersion("slack", to: "2.0.0")
        try seeds.edit("github") {
            $0.replacingOccurrences(of: "\"status\": \"stable\"", with: "\"status\": \"shiny\"")
        }
        do {
            _ = try await catalog.syncPlatform(from: seeds.path)
            XCTFail("the run should fail")
        } catch let error as ManifestLoadError {
            XCTAssertEqual(error.problems.map(\.file), ["github.json"])
            XCTAssertTrue(error.description.contains("github.json: /status"))
        }
        let after = try await fingerprint(database)
        XCTAssertEqual(after, before)
    }

    func testPrivateEntriesAreVisibleOnlyToTheirTenant() async throws {
        let database = try await TestDatabase.create()
        addTeardownBlock { await database.drop() }
        try await database.migrate()
        let catalog = try service(database)
        let seeds = try TemporarySeeds.copy(keys: ["slack"])
        defer { seeds.remove() }
        _ = try await catalog.syncPlatform(from: seeds.path)
        let (tenantA, tenantB) = (
            try await TestTenants.create(database, "acme"), try await TestTenants.create(database, "globex")
        )

        var manifest = try JSON(
            parsing: String(contentsOfFile: ProjectRoot.path + "/Seeds/connectors/rest.json", encoding: .utf8)
        )
        manifest = manifest.setting("key", to: "acme-internal").setting("name", to: "Acme Internal API")
        let (entry, created) = try await catalog.publishPrivate(tenantID: tenantA, manifest: manifest)
        XCTAssertTrue(created)
        XCTAssertFalse(entry.isPlatform)

        let seenByA = try await catalog.list(tenantID: tenantA, filter: CatalogFilter()).entries.map(\.key)
        let seenByB = try await catalog.list(tenantID: tenantB, filter: CatalogFilter()).entries.map(\.key)
        let seenByNobody = try await catalog.list(tenantID: nil, filter: CatalogFilter()).entries.map(\.key)
        XCTAssertTrue(seenByA.contains("acme-internal"))
        XCTAssertFalse(seenByB.contains("acme-internal"))
        XCTAssertFalse(seenByNobody.contains("acme-internal"))
        XCTAssertTrue(seenByB.contains("slack"))
        do {
            _ = try await catalog.entry(tenantID: tenantB, key: "acme-internal")
            XCTFail("tenant B must not see tenant A's entry")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .notFound)
        }
        // Publishing the same manifest again is a no-op; a platform key is refused.
        let again = try await catalog.publishPrivate(tenantID: tenantA, manifest: manifest)
        XCTAssertFalse(again.created)
        do {
            _ = try await catalog.publishPrivate(
                tenantID: tenantB, manifest: manifest.setting("key", to: "slack"))
            XCTFail("a platform key must be refused")
        } catch let error as AppError {
            XCTAssertEqual(error.kind, .conflict)
        }
    }

    func testAnotherNodeSeesASyncThroughNotifications() async throws {
        let (database, seeds, nodeA) = try await slackSyncedByNodeA()
        defer { seeds.remove() }

        // Node B: its own pool, its own cache, following changes.
        let otherPool = try PostgresPool(url: database.url, size: 2)
        let nodeB = try CatalogService.make(
            database: Database(pool: otherPool), paths: ProjectPaths(root: ProjectRoot.path),
            logger: Logger(label: "b"))
        let follower = Task { await nodeB.cache.followChanges(pool: otherPool) }
        defer { follower.cancel() }
        let initial = try await nodeB.entry(tenantID: nil, key: "slack").manifest.version.text
        XCTAssertEqual(initial, "1.0.0")
        try await Task.sleep(for: .milliseconds(200))  // let B's LISTEN be in place

        try seeds.setVersion("slack", to: "1.2.0")
        _ = try await nodeA.syncPlatform(from: seeds.path)
        let deadline = ContinuousClock.now + .seconds(1)
        var seen = ""
        while ContinuousClock.now < deadline {
            seen = try await nodeB.entry(tenantID: nil, key: "slack").manifest.version.text
            if seen == "1.2.0" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTAssertEqual(seen, "1.2.0", "node B should see node A's sync within a second")
        follower.cancel()
        await otherPool.close()
    }

    /// Expiry only guards against a lost notification: an expired copy is still answered while one
    /// reload runs, so readers never all wait for it at once, and the reload's result follows.
    func testAnExpiredCopyIsAnsweredWhileItReloads() async throws {
        let (database, seeds, nodeA) = try await slackSyncedByNodeA()
        defer { seeds.remove() }
        // Node B hears of no change: only expiry brings it news.
        let nodeB = try CatalogService.make(
            database: Database(pool: database.pool), paths: ProjectPaths(root: ProjectRoot.path),
            logger: Logger(label: "b"), cacheMaxAge: .seconds(1))
        let version = { try await nodeB.entry(tenantID: nil, key: "slack").manifest.version.text }
        let loaded = ContinuousClock.now
        let first = try await version()
        XCTAssertEqual(first, "1.0.0")

        try seeds.setVersion("slack", to: "1.2.0")
        _ = try await nodeA.syncPlatform(from: seeds.path)
        try await Task.sleep(until: loaded + .milliseconds(1_100))
        let expired = try await version()
        XCTAssertEqual(expired, "1.0.0", "the expired copy answers at once")
        let deadline = ContinuousClock.now + .seconds(2)
        var seen = ""
        while ContinuousClock.now < deadline {
            seen = try await version()
            if seen == "1.2.0" { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTAssertEqual(seen, "1.2.0", "the reload started by that read is answered next")
    }
}
