import JSON
import Patchbay
import TestServers
import XCTest

/// Protocol probes through the outbound prober: a real redis-server, a MySQL greeting, and the
/// types that only get a TCP connect (whose results must say so).
final class ProtocolProbingTests: XCTestCase {
    let tester = ProbeFixtures.tester()

    func testRedisWithTheRightPassword() async throws {
        let redis = try RedisServer(password: ProbeFixtures.sentinel)
        defer { redis.stop() }
        let result = await tester.test(
            manifest: try ProbeFixtures.manifest("redis"),
            config: ["host": "127.0.0.1", "port": .int(Int64(redis.port))],
            auth: ["password": .string(ProbeFixtures.sentinel)])
        XCTAssertTrue(result.success, result.message)
        XCTAssertEqual(result.message, "Redis PING answered (PONG) after AUTH.")
        XCTAssertEqual(result.details["check"], "redis")
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: result)
    }

    func testRedisRejectsAWrongOrMissingPassword() async throws {
        let redis = try RedisServer(password: ProbeFixtures.sentinel)
        defer { redis.stop() }
        let manifest = try ProbeFixtures.manifest("redis")
        let config: JSON = ["host": "127.0.0.1", "port": .int(Int64(redis.port))]
        let wrong = await tester.test(
            manifest: manifest, config: config, auth: ["password": "Wrong-Password-123"])
        XCTAssertFalse(wrong.success)
        XCTAssertEqual(wrong.errorKind, .authRejected)
        XCTAssertTrue(wrong.message.hasPrefix("The service rejected the credentials: Redis"), wrong.message)
        ProbeFixtures.assertNoSecret("Wrong-Password-123", in: wrong)
        let missing = await tester.test(manifest: manifest, config: config, auth: [:])
        XCTAssertEqual(missing.errorKind, .authRejected)
        XCTAssertTrue(missing.message.contains("NOAUTH"), missing.message)
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: missing)
    }

    func testMySQLGreetingSaysThePasswordWasNotChecked() async throws {
        let server = try LoopbackListener { fd in
            // Initial handshake v10: version, connection id 7, then filler the probe does not read.
            let payload =
                [10] + Array("8.0.36".utf8) + [0] + [7, 0, 0, 0] + [UInt8](repeating: 0x61, count: 8) + [0]
            SocketIO.write(fd, [UInt8(payload.count), 0, 0, 0] + payload)
            _ = SocketIO.read(fd, exactly: 1)
        }
        defer { server.stop() }
        let result = await tester.test(
            manifest: try ProbeFixtures.manifest("mariadb"),
            config: [
                "host": "127.0.0.1", "port": .int(Int64(server.port)), "database": "app", "user": "app",
            ],
            auth: ["password": .string(ProbeFixtures.sentinel)])
        XCTAssertTrue(result.success, result.message)
        XCTAssertEqual(
            result.message, "MySQL handshake received (server 8.0.36); the password was not checked.")
        XCTAssertEqual(result.details["version"], "8.0.36")
    }

    func testTCPOnlyTypesSaySo() async throws {
        let server = try LoopbackListener { fd in _ = SocketIO.read(fd, exactly: 1) }
        defer { server.stop() }
        let result = await tester.test(
            manifest: try ProbeFixtures.manifest("mssql"),
            config: ["host": "127.0.0.1", "port": .int(Int64(server.port)), "database": "app", "user": "sa"],
            auth: ["password": "pw-123456"])
        XCTAssertTrue(result.success, result.message)
        XCTAssertEqual(
            result.message,
            "TCP connect only: port \(server.port) on 127.0.0.1 is reachable; the SQL Server login is not checked."
        )
        XCTAssertEqual(result.details["check"], "tcp")
    }

    func testKafkaTriesEachBootstrapServer() async throws {
        let server = try LoopbackListener { fd in _ = SocketIO.read(fd, exactly: 1) }
        defer { server.stop() }
        let refused = try LoopbackListener.refusedPort()
        // SASL_SSL (the manifest's default) cannot be spoken here: TCP reachability only.
        let result = await tester.test(
            manifest: try ProbeFixtures.manifest("kafka"),
            config: [
                "bootstrap_servers": [.string("127.0.0.1:\(refused)"), .string("127.0.0.1:\(server.port)")],
                "topic": "t",
            ],
            auth: [:])
        XCTAssertTrue(result.success, result.message)
        XCTAssertEqual(
            result.message,
            "TCP connect only: port \(server.port) on 127.0.0.1 is reachable; Kafka over TLS (SASL_SSL) is not checked."
        )
        XCTAssertEqual(result.details["endpoint"], "2 of 2")
    }

    func testMissingHostIsAConfigProblem() async throws {
        let result = await tester.test(
            manifest: try ProbeFixtures.manifest("rabbitmq"), config: [:], auth: [:])
        XCTAssertEqual(result.errorKind, .invalidConfiguration)
        XCTAssertEqual(result.message, "The config has no host.")
    }

    func testUnsupportedProbes() async throws {
        let sqlite = await tester.test(
            manifest: try ProbeFixtures.manifest("sqlite"), config: ["path": "a.db"], auth: [:])
        XCTAssertEqual(sqlite.errorKind, .unsupported)
        let mongo = await tester.test(
            manifest: try ProbeFixtures.manifest("mongodb"),
            config: ["srv": true, "host": "cluster0.example.net"],
            auth: [:])
        XCTAssertEqual(mongo.errorKind, .unsupported)
        XCTAssertFalse(sqlite.success || mongo.success)
    }
}
