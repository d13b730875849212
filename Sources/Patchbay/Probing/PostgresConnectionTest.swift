import JSON
import Logging
import Outbound
import Postgres

/// A PostgreSQL test (also CockroachDB and Redshift): a real libpq session, the manifest's query,
/// and the server version.
///
/// The host is resolved and checked once, by a TCP probe under the outbound policy; libpq is then
/// pinned to the address that probe reached (`hostaddr`), with `host` kept for TLS name checks, so
/// a DNS answer that changes in between (rebinding) cannot send the session elsewhere. libpq runs
/// on the connection's own thread, never on the cooperative pool.
struct PostgresConnectionTest {
    let prober: OutboundProber
    let policy: OutboundPolicy
    let logger: Logger
    let config: JSONObject
    let auth: JSONObject
    /// The manifest's `test.query`; `SELECT 1` when it has none.
    let query: String
    let timeout: Duration

    func run() async -> ConnectionTestResult {
        let destination: PostgresDestination
        switch await PostgresDestination.resolve(
            config: config, prober: prober, policy: policy, timeout: timeout)
        {
        case .failed(let result): return result
        case .reached(let reached): destination = reached
        }
        var result = await session(endpoint: destination.endpoint, address: destination.address)
        result.details["address"] = destination.address
        result.details["connect_ms"] = destination.connectMilliseconds
        return result
    }

    /// Opens the session on a pool of one and runs the queries; always closes the pool.
    private func session(endpoint: Endpoint, address: String) async -> ConnectionTestResult {
        let files = TemporaryPEMFiles()
        defer { files.remove() }
        let configuration: PostgresConfiguration
        do {
            configuration = try PostgresTestSettings(config: config, auth: auth, timeout: timeout)
                .configuration(host: endpoint.host, port: endpoint.port, address: address, files: files)
        } catch {
            return .failure(.invalidConfiguration, error.message)
        }
        let pool = PostgresPool(
            configuration: configuration, size: 1, acquireTimeout: timeout, logger: logger)
        let query = self.query
        let outcome: Result<[String: String], any Error>
        do {
            let facts = try await pool.withConnection { connection in
                _ = try await connection.query(query, [])
                var facts: [String: String] = [:]
                // Informative only: some compatible servers lack one or the other.
                if let rows = try? await connection.query("SHOW server_version", []),
                    let version = try? rows.first?.decode(0, as: String.self)
                {
                    facts["server_version"] = version
                }
                if let rows = try? await connection.query(
                    "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", []),
                    let ssl = try? rows.first?.decode(0, as: Bool.self)
                {
                    facts["tls"] = ssl ? "yes" : "no"
                }
                return facts
            }
            outcome = .success(facts)
        } catch {
            outcome = .failure(error)
        }
        await pool.close()
        switch outcome {
        case .success(var facts):
            facts["check"] = "postgresql"
            facts["database"] = config["database"]?.string
            let version = facts["server_version"].flatMap { $0.split(separator: " ").first }.map {
                " (server \($0))"
            }
            return ConnectionTestResult(
                success: true, message: "PostgreSQL answered \(shortQuery)\(version ?? "").", details: facts)
        case .failure(let error):
            var result = PostgresFailureWording.result(for: error, endpoint: endpoint)
            result.details["check"] = "postgresql"
            return result
        }
    }

    /// The query as shown in the message: one line, at most 60 characters.
    private var shortQuery: String {
        let line = query.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 60 ? String(line.prefix(57)) + "..." : line
    }
}
