import JSON
import Outbound
import Patchbay
import Postgres
import TestSupport
import XCTest

/// The postgresql probe against the test cluster (`PATCHBAY_TEST_DATABASE_URL`), with the
/// PostgreSQL seed manifest.
///
/// The test cluster trusts every local connection, so a wrong password cannot be shown to fail
/// here; a database that does not exist is the server-side refusal these tests can provoke.
final class PostgresProbingTests: XCTestCase {
    var server: PostgresConfiguration!

    override func setUpWithError() throws {
        server = try PostgresConfiguration(url: try TestDatabase.adminURL())
        guard server.host == "127.0.0.1" || server.host == "localhost" else {
            throw XCTSkip(
                "the probe tests need the test cluster on 127.0.0.1, not \(server.host ?? "a socket")")
        }
    }

    func config(host: String = "127.0.0.1", port: Int? = nil, database: String? = nil) -> JSON {
        [
            "host": .string(host), "port": .int(Int64(port ?? server.port ?? 5432)),
            "database": .string(database ?? server.database ?? "postgres"),
            "user": .string(server.user ?? "postgres"),
            "sslmode": "prefer",
        ]
    }

    func testConnectsAndRunsTheManifestQuery() async throws {
        let result = await ProbeFixtures.tester().test(
            manifest: try ProbeFixtures.manifest("postgresql"), config: config(),
            auth: ["password": .string(ProbeFixtures.sentinel)])
        XCTAssertTrue(result.success, result.message)
        XCTAssertNil(result.errorKind)
        let version = try XCTUnwrap(result.details["server_version"])
        let shortVersion = try XCTUnwrap(version.split(separator: " ").first)
        XCTAssertEqual(result.message, "PostgreSQL answered SELECT 1 (server \(shortVersion)).")
        XCTAssertEqual(result.details["address"], "127.0.0.1")
        XCTAssertEqual(
            result.details["tls"], "no", "the test cluster has no TLS, and sslmode prefer falls back")
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: result)
    }

    func testManifestQueryRuns() async throws {
        let manifest = try ProbeFixtures.manifest("postgresql", [(["test", "query"], "SELECT 1/0")])
        let result = await ProbeFixtures.tester().test(manifest: manifest, config: config(), auth: [:])
        XCTAssertEqual(result.errorKind, .unexpectedResponse)
        XCTAssertEqual(
            result.message,
            "PostgreSQL connected, but the test query failed: division by zero (SQLSTATE 22012).")
    }

    func testMissingDatabaseIsReported() async throws {
        let result = await ProbeFixtures.tester().test(
            manifest: try ProbeFixtures.manifest("postgresql"), config: config(database: "no_such_db_42"),
            auth: ["password": .string(ProbeFixtures.sentinel)])
        XCTAssertFalse(result.success)
        XCTAssertEqual(result.errorKind, .notFound)
        XCTAssertEqual(
            result.message,
            "PostgreSQL at 127.0.0.1 port \(server.port ?? 5432) answered, but database \"no_such_db_42\" does not exist."
        )
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: result)
    }

    func testTLSRequiredByTheClientButNotOffered() async throws {
        var settings = config()
        settings = .object((settings.object ?? [:]).merging(["sslmode": "require"]))
        let result = await ProbeFixtures.tester().test(
            manifest: try ProbeFixtures.manifest("postgresql"), config: settings, auth: [:])
        XCTAssertEqual(result.errorKind, .tlsError, result.message)
        XCTAssertEqual(
            result.message,
            "TLS with PostgreSQL at 127.0.0.1 port \(server.port ?? 5432) failed: server does not support SSL, "
                + "but SSL was required.")
    }

    func testRefusedPort() async throws {
        let port = try LoopbackListener.refusedPort()
        let result = await ProbeFixtures.tester().test(
            manifest: try ProbeFixtures.manifest("postgresql"), config: config(port: port), auth: [:])
        XCTAssertEqual(result.errorKind, .connectionRefused)
        XCTAssertEqual(
            result.message, "Connection refused by 127.0.0.1 port \(port): nothing is listening there.")
    }

    func testSilentServerTimesOut() async throws {
        // Accepts the connection, then never answers the startup message.
        let silent = try LoopbackListener { fd in _ = SocketIO.read(fd, exactly: 1 << 20) }
        defer { silent.stop() }
        let started = ContinuousClock.now
        let result = await ProbeFixtures.tester().test(
            manifest: try ProbeFixtures.manifest("postgresql"), config: config(port: silent.port), auth: [:],
            timeout: .seconds(1))
        XCTAssertEqual(result.errorKind, .timeout, result.message)
        XCTAssertEqual(
            result.message, "No answer from PostgreSQL at 127.0.0.1 port \(silent.port) in time (timeout).")
        // libpq counts whole seconds and takes at least two.
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
    }

    func testLoopbackRefusedWithoutAllowList() async throws {
        let recorder = RecordingNetwork()
        let tester = ProbeFixtures.tester(allowLoopback: false, network: recorder.network)
        let result = await tester.test(
            manifest: try ProbeFixtures.manifest("postgresql"), config: config(host: "localhost"), auth: [:])
        XCTAssertEqual(result.errorKind, .addressNotAllowed)
        XCTAssertTrue(result.message.hasPrefix("Connections to localhost ("), result.message)
        XCTAssertEqual(recorder.connects, [])
    }

    /// The name resolves to the test cluster once, then (as a rebinding attacker's DNS would) to
    /// a metadata address: the session must go to the address that was checked.
    func testSessionIsPinnedToTheCheckedAddress() async throws {
        let recorder = RecordingNetwork(answers: [
            "db.rebind.test": (first: [IPAddress("127.0.0.1")!], later: [IPAddress("169.254.169.254")!])
        ])
        let tester = ProbeFixtures.tester(network: recorder.network)
        let result = await tester.test(
            manifest: try ProbeFixtures.manifest("postgresql"), config: config(host: "db.rebind.test"),
            auth: [:])
        XCTAssertTrue(result.success, result.message)
        XCTAssertEqual(recorder.lookups, ["db.rebind.test"], "resolved exactly once")
        XCTAssertEqual(recorder.connects, ["127.0.0.1 \(server.port ?? 5432)"])
    }

    func testSentinelInPasswordNeverShownWhenTheServerIsMissing() async throws {
        let port = try LoopbackListener.refusedPort()
        let result = await ProbeFixtures.tester().test(
            manifest: try ProbeFixtures.manifest("cockroachdb"), config: config(port: port),
            auth: ["password": .string(ProbeFixtures.sentinel)])
        XCTAssertEqual(result.errorKind, .connectionRefused)
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: result)
    }
}

extension JSONObject {
    fileprivate func merging(_ other: JSONObject) -> JSONObject {
        var merged = self
        for (key, value) in other { merged[key] = value }
        return merged
    }
}
