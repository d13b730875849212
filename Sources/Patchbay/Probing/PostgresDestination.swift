import JSON
import Outbound

/// Where a PostgreSQL session may go: the config's host resolved once by a TCP probe, the address it
/// reached checked by the outbound policy, ready to pin libpq to (`hostaddr`).
///
/// Shared by the connection test and by queries run on a tenant's behalf, so both reach exactly
/// the address that was checked (a DNS answer that changes in between cannot move the session).
struct PostgresDestination {
    let endpoint: Endpoint
    /// The checked address libpq is pinned to.
    let address: String
    /// How long the probe's TCP connect took, when it said.
    let connectMilliseconds: String?

    enum Resolution {
        case reached(PostgresDestination)
        /// Why not, worded for people (a refused port, a disallowed address, a config without host).
        case failed(ConnectionTestResult)
    }

    /// Resolves `config.host`/`config.port` (default 5432) and checks the address reached.
    static func resolve(config: JSONObject, prober: OutboundProber, policy: OutboundPolicy, timeout: Duration)
        async -> Resolution
    {
        let endpoint: Endpoint
        do {
            endpoint = try Endpoint.from(config, defaultPort: 5432)
        } catch {
            return .failed(.failure(.invalidConfiguration, error.message))
        }
        let reach: ProbeResult
        do {
            reach = try await prober.probe(.tcp, host: endpoint.host, port: endpoint.port, timeout: timeout)
        } catch {
            return .failed(FailureWording.result(for: error, host: endpoint.host, port: endpoint.port))
        }
        guard let text = reach.details["address"], let address = IPAddress(text) else {
            return .failed(.failure(.other, "The address of \(endpoint.host) could not be determined."))
        }
        if case .refused(let reason) = policy.decision(for: address, host: endpoint.host) {
            let error = OutboundError.addressNotAllowed(
                host: endpoint.host, address: text, reason: reason.description)
            return .failed(FailureWording.result(for: error, host: endpoint.host, port: endpoint.port))
        }
        return .reached(
            PostgresDestination(
                endpoint: endpoint, address: text, connectMilliseconds: reach.details["connect_ms"]))
    }
}
