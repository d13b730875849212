import Postgres

/// Turns libpq and server errors of a PostgreSQL test into results for people.
///
/// Connection failures reach us as libpq's text (there is no SQLSTATE before the session exists),
/// so they are recognised by the phrases libpq and the server use.
enum PostgresFailureWording {
    static func result(for error: any Error, endpoint: Endpoint) -> ConnectionTestResult {
        guard let error = error as? PostgresError else {
            return FailureWording.result(for: error, host: endpoint.host, port: endpoint.port)
        }
        let place = "\(endpoint.host) port \(endpoint.port)"
        guard error.kind == .connection else {
            let what = error.sqlState.map { " (SQLSTATE \($0))" } ?? ""
            return .failure(
                .unexpectedResponse,
                "PostgreSQL connected, but the test query failed: \(error.message)\(what).",
                details: error.sqlState.map { ["sqlstate": $0] } ?? [:])
        }
        let reason = self.reason(in: error.message)
        let lowered = reason.lowercased()
        let kind: ConnectionTestResult.ErrorKind
        let message: String
        if authPhrases.contains(where: lowered.contains) {
            kind = .authRejected
            message = "PostgreSQL rejected the credentials: \(reason)"
        } else if lowered.contains("database") && lowered.contains("does not exist") {
            kind = .notFound
            message = "PostgreSQL at \(place) answered, but \(reason)"
        } else if lowered.contains("timeout expired") {
            kind = .timeout
            message = "No answer from PostgreSQL at \(place) in time (timeout)"
        } else if tlsPhrases.contains(where: lowered.contains) {
            kind = .tlsError
            message = "TLS with PostgreSQL at \(place) failed: \(reason)"
        } else if lowered.contains("connection refused") {
            kind = .connectionRefused
            message = "Connection refused by \(place): nothing is listening there"
        } else {
            kind = .other
            message = "Could not connect to PostgreSQL at \(place): \(reason)"
        }
        return .failure(kind, sentence(message))
    }

    static let authPhrases = [
        "password authentication failed", "authentication failed", "no pg_hba.conf entry",
        "no password supplied", "password is required", "permission denied", "role \"",
    ]
    static let tlsPhrases = ["ssl", "tls", "certificate"]

    /// The server's or libpq's own words: what follows libpq's `... failed: ` prefix, without the
    /// `FATAL:` severity and the `could not connect to PostgreSQL at <url>` frame of the pool.
    static func reason(in message: String) -> String {
        var text = Substring(message)
        if text.hasPrefix("could not connect to PostgreSQL at "), let frame = text.range(of: ": ") {
            text = text[frame.upperBound...]
        }
        if let failed = text.ranges(of: "failed: ").last { text = text[failed.upperBound...] }
        for severity in ["FATAL:", "ERROR:"] where text.hasPrefix(severity) {
            text = text.dropFirst(severity.count)
        }
        var trimmed = String(text).trimmingHeaderSpace()
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed.isEmpty ? "the connection failed" : trimmed
    }
}
