import JSON
import Outbound

/// Builds the HTTP tests: a manifest's `test.request` (type `http`) or a custom HTTP connector's
/// configured request (type `configured_request`), rendered with the `config` and `auth` scopes.
struct HTTPTestBuilder {
    let client: OutboundHTTPClient
    let auth: JSONObject
    /// For `configured_request`, nil leaves the connector's own `timeout_ms`.
    let timeout: Duration?

    /// `{"type": "http", "request": {...}, "expect_status": [...], "expect_json": {...}}`.
    func manifestTest(_ test: JSONObject, config: JSONObject) async -> ConnectionTestResult {
        guard let description = test["request"] else {
            return .failure(.invalidConfiguration, "The manifest's HTTP test has no request.")
        }
        let request: PreparedRequest
        let expectation: JSONExpectation?
        do {
            request = try RequestSpec(manifest: description).prepare(scopes(config))
            expectation = try test["expect_json"]?.object.map { object throws(RequestError) in
                try JSONExpectation(object)
            }
        } catch {
            return Self.buildFailure(error)
        }
        let statuses = test["expect_status"]?.array?.compactMap(\.int) ?? []
        return await HTTPConnectionTest(
            client: client, request: request, expectedStatuses: statuses, expectation: expectation,
            timeout: timeout ?? ConnectionTester.defaultTimeout, followsRedirects: true,
            redactor: RequestRedactor(auth: auth)
        ).run()
    }

    /// The custom HTTP connector's own request, sent once (no retries), passing on 2xx.
    func configuredRequest(config: JSONObject) async -> ConnectionTestResult {
        let settings: CustomHTTPSettings
        let request: PreparedRequest
        do {
            settings = try CustomHTTPSettings(config: config)
            request = try settings.request.prepare(scopes(config))
        } catch {
            return Self.buildFailure(error)
        }
        return await HTTPConnectionTest(
            client: client, request: request, expectedStatuses: [], expectation: nil,
            timeout: timeout ?? ConnectionTester.clamp(settings.timeout),
            followsRedirects: settings.followRedirects, redactor: RequestRedactor(auth: auth)
        ).run()
    }

    private func scopes(_ config: JSONObject) -> JSONObject {
        ["config": .object(config), "auth": .object(auth)]
    }

    /// Request errors name template paths and fields, never rendered values.
    private static func buildFailure(_ error: RequestError) -> ConnectionTestResult {
        if case .unsupportedAuth(let type) = error.kind {
            return .failure(.unsupported, "The connection test cannot apply '\(type)' authentication yet.")
        }
        return .failure(
            .invalidConfiguration, sentence("The test request could not be built: \(error.message)"))
    }
}
