import Postgres

/// Turns what went wrong with a query into errors a caller can act on: never a 500, never a
/// credential. The server's own words are kept (scrubbed of the connector's secrets), because they
/// are what the person who wrote the SQL needs.
struct QueryFailures {
    /// Replaces every credential value in a message.
    let redactor: RequestRedactor
    let endpoint: Endpoint
    let timeout: Duration

    /// A connection test verdict (no session was made): 503 when the server could not be reached
    /// (worth retrying), 422 when the connector's settings or credentials are what must change.
    static func connection(_ result: ConnectionTestResult, redactor: RequestRedactor) -> AppError {
        let message = redactor.scrub(result.message)
        switch result.errorKind {
        case .connectionRefused?, .timeout?, .dnsFailure?, .other?, .cancelled?, nil:
            return AppError(.unavailable, message)
        default:
            return AppError(.validation, message)
        }
    }

    /// An error met while connecting or running the statement.
    func error(for error: any Error) -> AppError {
        guard let error = error as? PostgresError else {
            return Self.connection(
                FailureWording.result(for: error, host: endpoint.host, port: endpoint.port),
                redactor: redactor)
        }
        switch error.kind {
        case .timeout:
            return AppError(
                .unavailable,
                "PostgreSQL at \(endpoint.host) port \(endpoint.port) stopped answering (the statement "
                    + "timeout is \(FailureWording.seconds(timeout))); the connection was closed.")
        case .connection, .poolTimeout, .closed, .invalidConfiguration:
            return Self.connection(
                PostgresFailureWording.result(for: error, endpoint: endpoint), redactor: redactor)
        case .encoding:
            return AppError.validation(["sql": ["must not contain the NUL character (U+0000)"]])
        default:
            return statement(error)
        }
    }

    /// The server refused or stopped the statement: a 422 with the server's message under `sql`.
    private func statement(_ error: PostgresError) -> AppError {
        let said = redactor.scrub(error.message)
        let code = error.sqlState.map { " (SQLSTATE \($0))" } ?? ""
        let message: String
        switch error.sqlState {
        case "57014":
            message =
                "The query ran longer than \(FailureWording.seconds(timeout)) and was cancelled (statement timeout)."
        case "25006":
            message = "Queries run in a read-only transaction: \(said)\(code)."
        default:
            message = "PostgreSQL refused the statement: \(said)\(code)."
        }
        return AppError(.validation, message, fields: ["sql": [said + code]])
    }
}
