import JSON

/// What a connection test found, worded for the person who pressed "Test".
///
/// `message` always says what was checked ("HTTP 200 from api.stripe.com", "TCP connect only: port
/// 9092 is reachable"), so a success that only proves reachability never reads like a login.
/// Neither `message` nor `details` ever holds a value from the connector's credentials.
public struct ConnectionTestResult: Sendable, Equatable {
    /// Why a test failed, for filtering, icons and translations; the message says it in words.
    public enum ErrorKind: String, Sendable, Equatable, CaseIterable {
        /// The host name did not resolve.
        case dnsFailure = "dns_failure"
        /// Nothing listens on the port.
        case connectionRefused = "connection_refused"
        /// No answer in time.
        case timeout
        /// The TLS handshake or the certificate check failed.
        case tlsError = "tls_error"
        /// The service refused the credentials (HTTP 401/403, a failed login).
        case authRejected = "auth_rejected"
        /// An HTTP status outside the expected ones.
        case unexpectedStatus = "unexpected_status"
        /// The response did not hold what the test expects (`expect_json`, a non-JSON body).
        case unexpectedResponse = "unexpected_response"
        /// The outbound policy refuses the destination address (server-side request forgery guard).
        case addressNotAllowed = "address_not_allowed"
        /// The server answered, but not as its protocol should.
        case protocolError = "protocol_error"
        /// The server is there but what the config names is not (a database that does not exist).
        case notFound = "not_found"
        /// The config cannot be used to build the test (a missing field, a malformed URL).
        case invalidConfiguration = "invalid_configuration"
        /// This connector type has no connection test, or one this server cannot run.
        case unsupported
        /// The caller went away before the test finished.
        case cancelled
        /// Any other network failure.
        case other
    }

    /// Whether the connector works as far as the test could tell.
    public var success: Bool
    /// One or two sentences for people.
    public var message: String
    /// From the start of the test to its verdict, DNS included.
    public var latencyMs: Int
    /// Facts gathered on the way (`status`, `address`, `server_version`, `check`...).
    public var details: [String: String]
    /// Set when `success` is false.
    public var errorKind: ErrorKind?

    public init(
        success: Bool, message: String, latencyMs: Int = 0, details: [String: String] = [:],
        errorKind: ErrorKind? = nil
    ) {
        self.success = success
        self.message = message
        self.latencyMs = latencyMs
        self.details = details
        self.errorKind = errorKind
    }

    /// A failed result.
    static func failure(
        _ kind: ErrorKind, _ message: String, details: [String: String] = [:]
    ) -> ConnectionTestResult {
        ConnectionTestResult(success: false, message: message, details: details, errorKind: kind)
    }

    /// The API's shape: `{"success", "message", "latency_ms", "details", "error_kind"}` (the last
    /// only on failure).
    public var json: JSON {
        var object: JSONObject = [
            "success": .bool(success), "message": .string(message), "latency_ms": .int(Int64(latencyMs)),
            "details": .object(
                JSONObject(details.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]
        if let errorKind { object["error_kind"] = .string(errorKind.rawValue) }
        return .object(object)
    }
}
