import Foundation
import JSON
import Patchbay
import Postgres
import TestServers
import TestSupport
import XCTest

/// `ConnectorService.test` over protocol probes: the test PostgreSQL cluster and a real redis-server,
/// with credentials that come out of the vault.
final class ConnectionTestProtocolTests: XCTestCase {
    private var harness: ConnectionTestHarness!
    private let request = ConnectionTestHarness.request

    override func setUp() async throws {
        harness = try await ConnectionTestHarness.start()
    }

    override func tearDown() async throws {
        await harness?.stop()
    }

    private func installPostgres(_ name: String, database: String? = nil) async throws -> Connector {
        let server = try PostgresConfiguration(url: try TestDatabase.adminURL())
        guard server.host == "127.0.0.1" || server.host == "localhost" else {
            throw XCTSkip("the test cluster is not on 127.0.0.1")
        }
        return try await harness.service.install(
            ConnectorDraft(
                catalogKey: "postgresql", name: name,
                config: [
                    "host": "127.0.0.1", "port": .int(Int64(server.port ?? 5432)),
                    "database": .string(database ?? server.database ?? "postgres"),
                    "user": .string(server.user ?? "postgres"), "sslmode": "prefer",
                ],
                auth: ["password": .string(ProbeFixtures.sentinel)]),
            harness.admin, request: request)
    }

    func testPostgresAnswersTheManifestQuery() async throws {
        let connector = try await installPostgres("Warehouse")
        let outcome = try await harness.service.test(id: connector.id, harness.developer, request: request)
        XCTAssertTrue(outcome.result.success, outcome.result.message)
        XCTAssertTrue(
            outcome.result.message.hasPrefix("PostgreSQL answered SELECT 1"), outcome.result.message)
        XCTAssertEqual(outcome.connector.lastTest?.succeeded, true)
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: outcome.result)
    }

    func testPostgresWithAMissingDatabaseFails() async throws {
        let connector = try await installPostgres("Old warehouse", database: "no_such_database_here")
        let outcome = try await harness.service.test(id: connector.id, harness.developer, request: request)
        XCTAssertFalse(outcome.result.success)
        XCTAssertEqual(outcome.result.errorKind, .notFound, outcome.result.message)
        XCTAssertEqual(outcome.connector.status, .error)
        XCTAssertTrue(outcome.connector.statusMessage.contains("no_such_database_here"))
    }

    func testRedisWithTheSavedPasswordAndWithAWrongOne() async throws {
        let password = "redis-" + ProbeFixtures.sentinel
        let redis = try RedisServer(password: password)
        defer { redis.stop() }
        let config: JSONObject = ["host": "127.0.0.1", "port": .int(Int64(redis.port))]
        let good = try await harness.service.install(
            ConnectorDraft(
                catalogKey: "redis", name: "Cache", config: config, auth: ["password": .string(password)]),
            harness.admin, request: request)
        let passed = try await harness.service.test(id: good.id, harness.developer, request: request)
        XCTAssertTrue(passed.result.success, passed.result.message)
        XCTAssertEqual(passed.result.message, "Redis PING answered (PONG) after AUTH.")

        let bad = try await harness.service.install(
            ConnectorDraft(
                catalogKey: "redis", name: "Stale cache", config: config,
                auth: ["password": .string("wrong-" + ProbeFixtures.sentinel)]),
            harness.admin, request: request)
        let failed = try await harness.service.test(id: bad.id, harness.developer, request: request)
        XCTAssertEqual(failed.result.errorKind, .authRejected, failed.result.message)
        XCTAssertEqual(failed.connector.status, .error)
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: failed.result)
        XCTAssertFalse(failed.connector.statusMessage.contains(ProbeFixtures.sentinel))
    }
}
