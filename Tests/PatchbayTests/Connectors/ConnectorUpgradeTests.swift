import Foundation
import JSON
import Logging
import Patchbay
import Postgres
import TestSupport
import XCTest

/// Pinned catalog versions and upgrades, and the binding of sealed credentials to their row.
final class ConnectorUpgradeTests: XCTestCase {
    private var harness: TestEnvironment!
    private var catalog: CatalogService!
    private var service: ConnectorService!
    private var owner: Identity!
    private var seeds: TemporarySeeds!

    override func setUp() async throws {
        harness = try await TestEnvironment.start()
        seeds = try TemporarySeeds.copy(keys: ["openai"])
        catalog = try CatalogService.make(
            database: harness.environment.database, paths: harness.environment.paths,
            logger: Logger(label: "test"))
        _ = try await catalog.syncPlatform(from: seeds.path)
        service = ConnectorService(environment: harness.environment, catalog: catalog)
        let acme = try await harness.fixtures.tenant("acme")
        owner = try await harness.fixtures.identity(
            try await harness.fixtures.member("owner@acme.test", of: acme, role: .owner), in: acme)
    }

    override func tearDown() async throws {
        seeds?.remove()
        await harness?.stop()
    }

    /// Publishes openai 2.0.0, which requires a new `region` setting.
    private func publishMajorVersion() async throws {
        try seeds.setVersion("openai", to: "2.0.0")
        try seeds.edit("openai") { text in
            text.replacingOccurrences(
                of: "\"required\": [\n      \"base_url\",",
                with: "\"required\": [\n      \"region\",\n      \"base_url\","
            )
            .replacingOccurrences(
                of: "\"properties\": {\n      \"base_url\": {",
                with:
                    "\"properties\": {\n      \"region\": {\"title\": \"Region\", \"type\": \"string\", \"enum\": [\"us\", \"eu\"]},\n      \"base_url\": {"
            )
        }
        let summary = try await catalog.syncPlatform(from: seeds.path)
        XCTAssertEqual(summary.upgraded, ["openai"])
    }

    func testAnUpgradeShowsProblemsFirstAndChangesNothingUntilTheyAreFixed() async throws {
        let installed = try await service.install(
            ConnectorFixtures.openAI("AI"), owner, request: .commandLine)
        XCTAssertFalse(installed.catalog.upgradeAvailable)
        try await publishMajorVersion()

        let pinned = try await service.get(id: installed.id, owner)
        XCTAssertTrue(pinned.catalog.upgradeAvailable)
        XCTAssertEqual(pinned.catalog.version, "1.0.0")
        XCTAssertEqual(pinned.catalog.latestVersion, "2.0.0")
        // The pinned version still rules edits: no region needed yet.
        _ = try await service.update(
            id: installed.id, ConnectorChanges(name: "AI (old)"), owner, request: .commandLine)

        let plan = try await service.upgradePlan(id: installed.id, owner)
        XCTAssertEqual(plan.toVersion, "2.0.0")
        XCTAssertEqual(plan.problems["config.region"], ["is required"])
        do {
            _ = try await service.upgrade(
                id: installed.id, expectedVersion: nil, owner, request: .commandLine)
            XCTFail("an upgrade with problems must be refused")
        } catch let error as AppError {
            XCTAssertEqual(error.fields["config.region"], ["is required"])
        }
        let unchanged = try await service.get(id: installed.id, owner)
        XCTAssertEqual(unchanged.catalog.version, "1.0.0")

        let upgraded = try await service.update(
            id: installed.id, ConnectorChanges(config: .merge(["region": "eu"]), upgrade: true), owner,
            request: .commandLine)
        XCTAssertEqual(upgraded.catalog.version, "2.0.0")
        XCTAssertFalse(upgraded.catalog.upgradeAvailable)
        XCTAssertEqual(upgraded.authField("api_key"), installed.authField("api_key"), "the secret came along")
        let actions = try await service.history(id: installed.id, owner).map(\.action)
        XCTAssertEqual(actions.first, "connector.upgraded")
    }

    func testASealedCredentialCopiedToAnotherRowDoesNotOpen() async throws {
        let first = try await service.install(ConnectorFixtures.openAI("One"), owner, request: .commandLine)
        let second = try await service.install(ConnectorFixtures.openAI("Two"), owner, request: .commandLine)
        _ = try await harness.environment.database.system { connection in
            try await connection.execute(
                "UPDATE connectors SET auth_ciphertext = (SELECT auth_ciphertext FROM connectors WHERE id = $1) WHERE id = $2",
                [first.id, second.id])
        }
        do {
            _ = try await service.update(
                id: second.id, ConnectorChanges(config: .merge(["organization": "org-abc"])), owner,
                request: .commandLine)
            XCTFail("a ciphertext moved to another connector must fail to open")
        } catch {
            XCTAssertTrue("\(error)".lowercased().contains("authentication"), "\(error)")
        }
    }
}
