import JSON
import Logging
import Outbound

/// Checks that an installed connector works: runs the probe its manifest's `test` describes
/// against the real service, with the connector's config and decrypted credentials.
///
/// Every destination goes through the outbound policy (resolved once, checked, pinned). Network
/// failures never throw: they come back as a failed result, classified and worded for people,
/// and scrubbed of every credential value as a last line of defence.
public struct ConnectionTester: Sendable {
    public let client: OutboundHTTPClient
    public let prober: OutboundProber
    public let policy: OutboundPolicy
    public let logger: Logger

    /// Used when neither the caller nor the manifest's `timeout_ms` says otherwise.
    public static let defaultTimeout: Duration = .seconds(10)
    /// No test may hold a request (and a database session) longer than this.
    public static let maximumTimeout: Duration = .seconds(60)

    public init(client: OutboundHTTPClient, prober: OutboundProber, policy: OutboundPolicy, logger: Logger) {
        self.client = client
        self.prober = prober
        self.policy = policy
        self.logger = logger
    }

    /// Runs `manifest`'s test with `config` (absent optional fields take the schema's defaults) and
    /// `auth`. `timeout` overrides the manifest's `timeout_ms` (default 10 s, at most 60 s).
    public func test(manifest: ConnectorManifest, config: JSON, auth: JSON, timeout: Duration? = nil) async
        -> ConnectionTestResult
    {
        let clock = ContinuousClock()
        let started = clock.now
        let authObject = auth.object ?? [:]
        var result = await run(
            manifest: manifest, config: config.object ?? [:], auth: authObject, timeout: timeout)
        result.latencyMs = FailureWording.milliseconds(clock.now - started)
        if result.success { result.errorKind = nil }
        result = SecretScrubber(auth: authObject).scrub(result)
        logger.info(
            "connection test",
            metadata: [
                "connector": "\(manifest.key)", "success": "\(result.success)",
                "error_kind": "\(result.errorKind?.rawValue ?? "-")", "ms": "\(result.latencyMs)",
            ])
        return result
    }

    private func run(manifest: ConnectorManifest, config: JSONObject, auth: JSONObject, timeout: Duration?)
        async
        -> ConnectionTestResult
    {
        guard let test = manifest.json["test"]?.object, let type = test["type"]?.string else {
            return .failure(.unsupported, "This connector type has no connection test.")
        }
        let config = SchemaDefaults.applying(manifest.configSchemaJSON, to: config)
        let limit = Self.timeout(requested: timeout, manifest: test["timeout_ms"]?.int)
        switch type {
        case "http":
            return await HTTPTestBuilder(client: client, auth: auth, timeout: limit).manifestTest(
                test, config: config)
        case "configured_request":
            return await HTTPTestBuilder(client: client, auth: auth, timeout: timeout.map { Self.clamp($0) })
                .configuredRequest(config: config)
        case "postgresql":
            let query = test["query"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? "SELECT 1"
            return await PostgresConnectionTest(
                prober: prober, policy: policy, logger: logger, config: config, auth: auth, query: query,
                timeout: limit
            ).run()
        case "sqlite":
            return .failure(
                .unsupported,
                "SQLite databases are files on the server; the connection test does not open them.")
        case "mongodb" where config["srv"]?.bool == true:
            return .failure(
                .unsupported, "MongoDB SRV addresses (mongodb+srv) are not supported by the connection test.")
        default:
            do {
                guard let plan = try SocketProbePlan.make(type: type, config: config, auth: auth) else {
                    return .failure(.unsupported, "The connection test type '\(type)' is not supported.")
                }
                return await SocketProbeTest(prober: prober, plan: plan, timeout: limit).run()
            } catch {
                return .failure(.invalidConfiguration, error.message)
            }
        }
    }

    /// The caller's timeout, else the manifest's, else 10 s; never above 60 s nor below 100 ms.
    static func timeout(requested: Duration?, manifest milliseconds: Int?) -> Duration {
        if let requested { return clamp(requested) }
        if let milliseconds { return clamp(.milliseconds(milliseconds)) }
        return defaultTimeout
    }

    static func clamp(_ duration: Duration) -> Duration {
        min(max(duration, .milliseconds(100)), maximumTimeout)
    }
}
