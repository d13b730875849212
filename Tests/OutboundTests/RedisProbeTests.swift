import TestServers
import XCTest

@testable import Outbound

/// The Redis probe against a real `redis-server` started for each test.
final class RedisProbeTests: XCTestCase {
    let prober = OutboundProber(policy: OutboundPolicy(allowList: [.network(IPNetwork("127.0.0.1")!)]))

    func testPingWithoutPassword() async throws {
        let redis = try RedisServer()
        defer { redis.stop() }
        let result = try await prober.probe(.redis(), host: "127.0.0.1", port: redis.port)
        XCTAssertTrue(result.success)
        XCTAssertEqual(result.message, "Redis PING answered (PONG) without credentials")
    }

    func testRequirePass() async throws {
        let password = "s3cret-\(UInt32.random(in: 0...UInt32.max))"
        let redis = try RedisServer(password: password)
        defer { redis.stop() }

        let noPassword = await outboundError {
            try await self.prober.probe(.redis(), host: "127.0.0.1", port: redis.port)
        }
        guard case .authRejected(let text) = noPassword else {
            return XCTFail("\(String(describing: noPassword))")
        }
        XCTAssertTrue(text.hasPrefix("Redis: NOAUTH"), text)

        let wrong = await outboundError {
            try await self.prober.probe(
                .redis(password: "wrong-\(password)"), host: "127.0.0.1", port: redis.port)
        }
        guard case .authRejected(let wrongText) = wrong else {
            return XCTFail("\(String(describing: wrong))")
        }
        XCTAssertTrue(wrongText.contains("WRONGPASS"), wrongText)
        XCTAssertFalse(wrongText.contains(password), wrongText)

        let right = try await prober.probe(.redis(password: password), host: "127.0.0.1", port: redis.port)
        XCTAssertEqual(right.message, "Redis PING answered (PONG) after AUTH")
        let named = try await prober.probe(
            .redis(username: "default", password: password), host: "127.0.0.1", port: redis.port)
        XCTAssertTrue(named.success)
    }

    func testTLSIsReportedAsConnectOnly() async throws {
        let redis = try RedisServer()
        defer { redis.stop() }
        let result = try await prober.probe(.redis(tls: true), host: "127.0.0.1", port: redis.port)
        XCTAssertEqual(result.message, "TCP connect only: Redis over TLS is not checked")
    }

    func testNotRedis() async throws {
        let server = try FakeServers.greeting("HTTP/1.1 400 Bad Request\r\n\r\n")
        defer { server.stop() }
        let error = await outboundError {
            try await self.prober.probe(.redis(), host: "127.0.0.1", port: server.port)
        }
        XCTAssertEqual(error, .protocolError("not a Redis reply: 'HTTP/1.1 400 Bad Request'"))
    }
}
