import JSON
import Outbound
import Patchbay
import XCTest

/// Refused ports, unresolvable hosts, the outbound policy's refusals and the last-line secret scrub,
/// over HTTP and protocol probes alike.
final class NetworkFailureProbingTests: XCTestCase {
    let stripeAuth: JSON = ["secret_key": "sk_test_abcdefghijkl"]

    func stripe(url: String) throws -> ConnectorManifest {
        try ProbeFixtures.manifest("stripe", [(["test", "request", "url"], .string(url))])
    }

    func testRefusedPort() async throws {
        let port = try LoopbackListener.refusedPort()
        let tester = ProbeFixtures.tester()
        let http = await tester.test(
            manifest: try stripe(url: "http://127.0.0.1:\(port)/v1"), config: [:], auth: stripeAuth)
        XCTAssertEqual(http.errorKind, .connectionRefused)
        XCTAssertEqual(
            http.message, "Connection refused by 127.0.0.1 port \(port): nothing is listening there.")
        let redis = await tester.test(
            manifest: try ProbeFixtures.manifest("redis"),
            config: ["host": "127.0.0.1", "port": .int(Int64(port))],
            auth: [:])
        XCTAssertEqual(redis.errorKind, .connectionRefused)
        XCTAssertEqual(redis.details["port"], String(port))
    }

    func testUnresolvableHost() async throws {
        let tester = ProbeFixtures.tester()
        let http = await tester.test(
            manifest: try stripe(url: "https://nope.invalid/v1"), config: [:], auth: stripeAuth)
        XCTAssertEqual(http.errorKind, .dnsFailure)
        XCTAssertEqual(http.message, "Could not resolve the host name nope.invalid (DNS failure).")
        let mysql = await tester.test(
            manifest: try ProbeFixtures.manifest("mysql"),
            config: ["host": "nope.invalid", "database": "app", "user": "u"],
            auth: [:])
        XCTAssertEqual(mysql.errorKind, .dnsFailure)
    }

    func testTLSFailure() async throws {
        let service = try StubService()
        defer { service.stop() }
        let url = "https://127.0.0.1:\(service.port)/v1/balance"
        let result = await ProbeFixtures.tester().test(
            manifest: try stripe(url: url), config: [:], auth: stripeAuth)
        XCTAssertEqual(result.errorKind, .tlsError, result.message)
        XCTAssertTrue(result.message.hasPrefix("The TLS handshake with 127.0.0.1 failed: "), result.message)
    }

    func testLoopbackAddressRefusedWithoutAllowList() async throws {
        let service = try StubService()
        defer { service.stop() }
        let tester = ProbeFixtures.tester(allowLoopback: false)
        let result = await tester.test(
            manifest: try stripe(url: service.url("/v1/balance")), config: [:], auth: stripeAuth)
        XCTAssertFalse(result.success)
        XCTAssertEqual(result.errorKind, .addressNotAllowed)
        XCTAssertEqual(
            result.message,
            "Connections to 127.0.0.1 are not allowed (loopback address); ask an administrator to allow this host "
                + "(PATCHBAY_OUTBOUND_ALLOW).")
        XCTAssertEqual(service.connectionCount, 0, "a refused destination is never connected to")
    }

    func testHostNameResolvingToLoopbackIsRefused() async throws {
        let service = try StubService()
        defer { service.stop() }
        let recorder = RecordingNetwork()
        let tester = ProbeFixtures.tester(allowLoopback: false, network: recorder.network)
        let http = await tester.test(
            manifest: try stripe(url: "http://localhost:\(service.port)/v1/balance"), config: [:],
            auth: stripeAuth)
        XCTAssertEqual(http.errorKind, .addressNotAllowed)
        XCTAssertTrue(http.message.hasPrefix("Connections to localhost ("), http.message)
        XCTAssertTrue(http.message.hasSuffix("(PATCHBAY_OUTBOUND_ALLOW)."), http.message)
        let redis = await tester.test(
            manifest: try ProbeFixtures.manifest("redis"),
            config: ["host": "localhost", "port": .int(Int64(service.port))], auth: [:])
        XCTAssertEqual(redis.errorKind, .addressNotAllowed)
        XCTAssertEqual(redis.message, http.message)
        XCTAssertEqual(recorder.lookups, ["localhost", "localhost"])
        XCTAssertEqual(recorder.connects, [], "nothing was connected to")
        XCTAssertEqual(service.connectionCount, 0)
    }

    func testPrivateAndMetadataAddressesRefused() async throws {
        let tester = ProbeFixtures.tester()  // 127.0.0.1 is allowed; these are not
        for (host, reason) in [
            ("10.1.2.3", "private network"), ("169.254.169.254", "cloud metadata service"),
        ] {
            let result = await tester.test(
                manifest: try ProbeFixtures.manifest("mssql"),
                config: ["host": .string(host), "database": "app", "user": "sa"],
                auth: ["password": "pw-123456"])
            XCTAssertEqual(result.errorKind, .addressNotAllowed, host)
            XCTAssertEqual(
                result.message,
                "Connections to \(host) are not allowed (\(reason) address); ask an administrator to allow this host "
                    + "(PATCHBAY_OUTBOUND_ALLOW).")
        }
    }

    func testSecretThatLeaksIntoAMessageIsScrubbed() async throws {
        // A password pasted into the host field would otherwise be repeated by the DNS failure.
        let tester = ProbeFixtures.tester()
        let secret = ProbeFixtures.sentinel.lowercased()
        let result = await tester.test(
            manifest: try ProbeFixtures.manifest("redis"), config: ["host": .string("\(secret).invalid")],
            auth: ["password": .string(secret)])
        XCTAssertEqual(result.errorKind, .dnsFailure)
        XCTAssertEqual(result.message, "Could not resolve the host name [redacted].invalid (DNS failure).")
        XCTAssertEqual(result.details["host"], "[redacted].invalid")
        ProbeFixtures.assertNoSecret(secret, in: result)
    }

    func testSecretInTheURLPathIsScrubbedFromDetails() async throws {
        // Telegram puts the bot token in the URL path.
        let service = try StubService()
        defer { service.stop() }
        let token = "123456:" + ProbeFixtures.sentinel + "-abcdefghijklmnop"
        let manifest = try ProbeFixtures.manifest(
            "telegram",
            [(["test", "request", "url"], .string(service.url("/status/404/bot{{{auth.bot_token}}}/getMe")))])
        let result = await ProbeFixtures.tester().test(
            manifest: manifest, config: [:], auth: ["bot_token": .string(token)])
        XCTAssertEqual(result.errorKind, .unexpectedStatus)
        XCTAssertEqual(result.details["url"], service.url("/status/404/bot[redacted]/getMe"))
        // The stub echoes the path into its 404 body.
        XCTAssertEqual(result.details["response_excerpt"], "status 404/bot[redacted]/getMe")
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: result)
    }
}
