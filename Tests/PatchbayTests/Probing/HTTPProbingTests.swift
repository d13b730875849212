import JSON
import Patchbay
import XCTest

/// HTTP tests against a real server on 127.0.0.1, with the Stripe and Slack seed manifests pointed
/// at it.
final class HTTPProbingTests: XCTestCase {
    var service: StubService!
    let tester = ProbeFixtures.tester()

    override func setUpWithError() throws {
        service = try StubService()
    }

    override func tearDown() {
        service.stop()
    }

    /// Stripe's manifest with its test URL moved to the stub.
    func stripe(_ edits: [([String], JSON?)] = []) throws -> ConnectorManifest {
        try ProbeFixtures.manifest(
            "stripe", [(["test", "request", "url"], .string(service.url("/v1/balance")))] + edits)
    }

    /// Slack's manifest (`expect_json {"$.ok": true}`) with its test URL moved to `path` on the stub.
    func slack(_ path: String) throws -> ConnectorManifest {
        try ProbeFixtures.manifest("slack", [(["test", "request", "url"], .string(service.url(path)))])
    }

    let slackAuth: JSON = ["method": "bot_token", "access_token": "xoxb-0000-1111-abcdefabcdef"]

    func testExpectedStatusPasses() async throws {
        let result = await tester.test(
            manifest: try stripe(), config: [:], auth: ["secret_key": .string(StubService.goodKey)])
        XCTAssertTrue(result.success, result.message)
        XCTAssertEqual(result.message, "HTTP 200 from 127.0.0.1.")
        XCTAssertNil(result.errorKind)
        XCTAssertEqual(result.details["status"], "200")
        XCTAssertEqual(result.details["remote_ip"], "127.0.0.1")
        XCTAssertGreaterThanOrEqual(result.latencyMs, 0)
        XCTAssertLessThan(result.latencyMs, 5000)
        ProbeFixtures.assertNoSecret(StubService.goodKey, in: result)
    }

    func testRejectedCredentialsAreClassifiedAndNeverEchoed() async throws {
        let wrongKey = "sk_test_" + ProbeFixtures.sentinel
        let result = await tester.test(
            manifest: try stripe(), config: [:], auth: ["secret_key": .string(wrongKey)])
        XCTAssertFalse(result.success)
        XCTAssertEqual(result.errorKind, .authRejected)
        XCTAssertEqual(result.message, "The service rejected the credentials (HTTP 401).")
        // The stub echoes the Authorization header into its body: the excerpt must not.
        let excerpt = try XCTUnwrap(result.details["response_excerpt"])
        XCTAssertTrue(excerpt.hasPrefix("invalid api key: "), excerpt)
        XCTAssertTrue(excerpt.contains("[redacted]"), excerpt)
        ProbeFixtures.assertNoSecret(ProbeFixtures.sentinel, in: result)
    }

    func testUnexpectedStatus() async throws {
        let manifest = try stripe([(["test", "request", "url"], .string(service.url("/status/500")))])
        let result = await tester.test(
            manifest: manifest, config: [:], auth: ["secret_key": "sk_test_abcdefghijkl"])
        XCTAssertFalse(result.success)
        XCTAssertEqual(result.errorKind, .unexpectedStatus)
        XCTAssertEqual(result.message, "HTTP 500 from 127.0.0.1, expected 200.")
        XCTAssertEqual(result.details["response_excerpt"], "status 500")
    }

    func testAnyTwoHundredPassesWithoutExpectStatus() async throws {
        // A configured request (custom HTTP) passes on any 2xx.
        let manifest = try ProbeFixtures.manifest("custom-http")
        let result = await tester.test(
            manifest: manifest, config: ["url": .string(service.url("/status/204"))], auth: ["method": "none"]
        )
        XCTAssertTrue(result.success, result.message)
        XCTAssertEqual(result.message, "HTTP 204 from 127.0.0.1.")
        let failing = await tester.test(
            manifest: manifest, config: ["url": .string(service.url("/status/302"))], auth: ["method": "none"]
        )
        XCTAssertEqual(failing.errorKind, .unexpectedStatus)
        XCTAssertEqual(failing.message, "HTTP 302 from 127.0.0.1, expected 2xx.")
    }

    func testSlowServerTimesOut() async throws {
        let manifest = try stripe([(["test", "request", "url"], .string(service.url("/slow/3000")))])
        let started = ContinuousClock.now
        let result = await tester.test(
            manifest: manifest, config: [:], auth: ["secret_key": "sk_test_abcdefghijkl"],
            timeout: .milliseconds(300))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
        XCTAssertFalse(result.success)
        XCTAssertEqual(result.errorKind, .timeout)
        XCTAssertEqual(result.message, "No answer from 127.0.0.1 within 0.3 s (timeout).")
        XCTAssertGreaterThanOrEqual(result.latencyMs, 250)
    }

    func testManifestTimeoutApplies() async throws {
        let manifest = try stripe([
            (["test", "request", "url"], .string(service.url("/slow/3000"))), (["test", "timeout_ms"], 250),
        ])
        let result = await tester.test(
            manifest: manifest, config: [:], auth: ["secret_key": "sk_test_abcdefghijkl"])
        XCTAssertEqual(result.errorKind, .timeout)
        XCTAssertLessThan(result.latencyMs, 2000)
    }

    func testExpectJSONPasses() async throws {
        let result = await tester.test(manifest: try slack("/json/ok"), config: [:], auth: slackAuth)
        XCTAssertTrue(result.success, result.message)
        XCTAssertEqual(result.message, "HTTP 200 from 127.0.0.1; $.ok as expected.")
    }

    func testExpectJSONMismatch() async throws {
        let result = await tester.test(manifest: try slack("/json/not-ok"), config: [:], auth: slackAuth)
        XCTAssertFalse(result.success)
        XCTAssertEqual(result.errorKind, .unexpectedResponse)
        XCTAssertEqual(result.message, "HTTP 200 from 127.0.0.1, but $.ok is false, expected true.")
        XCTAssertEqual(result.details["response_excerpt"], #"{"ok": false, "error": "invalid_auth"}"#)
    }

    func testExpectJSONOnAnswerThatIsNotJSON() async throws {
        let result = await tester.test(manifest: try slack("/text"), config: [:], auth: slackAuth)
        XCTAssertEqual(result.errorKind, .unexpectedResponse)
        XCTAssertEqual(
            result.message, "HTTP 200 from 127.0.0.1, but the response is not JSON (expected $.ok).")
    }

    func testSchemaDefaultsFillAbsentConfig() async throws {
        // A default added to Stripe's optional api_version reaches the Stripe-Version header, which
        // the stub echoes back for expect_json to check.
        let manifest = try stripe([
            (["config_schema", "properties", "api_version", "default"], "2024-06-20"),
            (["test", "expect_json"], ["$.stripe_version": "2024-06-20"]),
        ])
        let auth: JSON = ["secret_key": .string(StubService.goodKey)]
        let defaulted = await tester.test(manifest: manifest, config: [:], auth: auth)
        XCTAssertTrue(defaulted.success, defaulted.message)
        let explicit = await tester.test(
            manifest: manifest, config: ["api_version": "2025-01-01"], auth: auth)
        XCTAssertEqual(
            explicit.message,
            "HTTP 200 from 127.0.0.1, but $.stripe_version is \"2025-01-01\", expected \"2024-06-20\".")
    }

    func testMissingTemplateValueIsAConfigProblem() async throws {
        let manifest = try stripe([
            (["test", "request", "url"], .string(service.url("/v1/{{config.account_id}}")))
        ])
        let result = await tester.test(
            manifest: manifest, config: [:], auth: ["secret_key": "sk_test_abcdefghijkl"])
        XCTAssertEqual(result.errorKind, .invalidConfiguration)
        XCTAssertEqual(
            result.message, "The test request could not be built: url: missing variable config.account_id.")
        XCTAssertEqual(service.connectionCount, 0)
    }

    func testConnectorWithoutTest() async throws {
        let manifest = try ProbeFixtures.manifest("webhook")
        let result = await tester.test(manifest: manifest, config: [:], auth: [:])
        XCTAssertFalse(result.success)
        XCTAssertEqual(result.errorKind, .unsupported)
        XCTAssertEqual(result.message, "This connector type has no connection test.")
    }

    func testResultJSONShape() async throws {
        let result = await tester.test(manifest: try slack("/json/not-ok"), config: [:], auth: slackAuth)
        let json = result.json
        XCTAssertEqual(json["success"], false)
        XCTAssertEqual(json["error_kind"], "unexpected_response")
        XCTAssertEqual(json["details"]?["status"], "200")
        XCTAssertNotNil(json["latency_ms"]?.int)
        XCTAssertEqual(json["message"]?.string, result.message)
    }
}
