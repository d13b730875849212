import JSON
import Logging
import Outbound
import Postgres

/// Runs a planned query against a PostgreSQL connector's server (also CockroachDB and Redshift).
///
/// The destination is resolved and checked by the outbound policy exactly as the connection test
/// does it (`PostgresDestination`), and libpq is pinned to the checked address with the connector's
/// own settings (`PostgresTestSettings`: no file or environment of this server is ever offered to
/// the tenant's host). Each query gets a session of its own, closed afterwards: nothing a statement
/// changes in its session outlives it.
struct PostgresQueryRunner {
    let prober: OutboundProber
    let policy: OutboundPolicy
    let logger: Logger
    let settings: QuerySettings

    /// `config` has the schema's defaults filled in; `auth` is the decrypted credentials.
    func run(_ query: PlannedQuery, config: JSONObject, auth: JSONObject) async throws -> QueryResult {
        let redactor = RequestRedactor(auth: auth)
        let destination: PostgresDestination
        switch await PostgresDestination.resolve(
            config: config, prober: prober, policy: policy, timeout: settings.connectTimeout)
        {
        case .failed(let result): throw QueryFailures.connection(result, redactor: redactor)
        case .reached(let reached): destination = reached
        }
        let failures = QueryFailures(
            redactor: redactor, endpoint: destination.endpoint, timeout: query.timeout)
        let files = TemporaryPEMFiles()
        defer { files.remove() }
        let configuration: PostgresConfiguration
        do {
            configuration = try PostgresTestSettings(
                config: config, auth: auth, timeout: settings.connectTimeout
            )
            .configuration(
                host: destination.endpoint.host, port: destination.endpoint.port,
                address: destination.address,
                files: files)
        } catch {
            throw AppError(.validation, redactor.scrub(error.message))
        }
        let pool = PostgresPool(
            configuration: configuration, size: 1, acquireTimeout: settings.connectTimeout, logger: logger)
        let limits = StatementLimits(
            maxRows: query.maxRows, maxBytes: settings.maxBytes, timeout: query.timeout,
            settings: Self.sessionSettings(config))
        let clock = ContinuousClock()
        let started = clock.now
        let outcome: Result<LimitedRows, any Error>
        do {
            outcome = .success(
                try await pool.withConnection { connection in
                    try await connection.runUntrusted(query.sql, query.parameters, limits: limits)
                })
        } catch {
            outcome = .failure(error)
        }
        await pool.close()
        let milliseconds = FailureWording.milliseconds(clock.now - started)
        switch outcome {
        case .success(let rows):
            let result = QueryResult(rows, durationMilliseconds: milliseconds)
            logger.info(
                "query",
                metadata: [
                    "rows": "\(result.rowCount)", "truncated": "\(result.truncated)", "ms": "\(milliseconds)",
                ])
            return result
        case .failure(let error):
            let failure = failures.error(for: error)
            logger.info(
                "query failed",
                metadata: [
                    "sqlstate": "\((error as? PostgresError)?.sqlState ?? "-")",
                    "status": "\(failure.kind.rawValue)",
                    "ms": "\(milliseconds)",
                ])
            throw failure
        }
    }

    /// Transaction-local settings from the connector's config: its default schema (`search_path`).
    static func sessionSettings(_ config: JSONObject) -> [(name: String, value: String)] {
        guard let schema = config["schema"]?.string, !schema.isEmpty else { return [] }
        return [("search_path", schema)]
    }
}
