import ArgumentParser
import HTTPServer

/// The server's limits and the pool's wait, from flags, then environment variables, then defaults.
struct ServeLimits: ParsableArguments {
    @Option(help: "Seconds a client has to send a request's head (env: PATCHBAY_HEADER_TIMEOUT; default 10).")
    var headerTimeout: Double?

    @Option(
        help: "Open connections beyond this are answered 503 (env: PATCHBAY_MAX_CONNECTIONS; default 10000).")
    var maxConnections: Int?

    @Option(help: "Largest request body in bytes; larger gets 413 (env: PATCHBAY_MAX_BODY; default 1048576).")
    var maxBody: Int?

    @Option(
        help: """
            Milliseconds a request waits for a free database connection before a 503 \
            (env: PATCHBAY_DB_ACQUIRE_TIMEOUT_MS; default 5000).
            """)
    var dbAcquireTimeoutMs: Int?

    /// How long a request waits for a pooled connection.
    func acquireTimeout(_ env: [String: String]) throws -> Duration {
        .milliseconds(
            try Self.value(
                dbAcquireTimeoutMs, env, "PATCHBAY_DB_ACQUIRE_TIMEOUT_MS", default: 5000, minimum: 1))
    }

    /// Applies the limits to `configuration`.
    func apply(to configuration: inout HTTPServerConfiguration, _ env: [String: String]) throws {
        let seconds = try Self.value(
            headerTimeout, env, "PATCHBAY_HEADER_TIMEOUT", default: 10, minimum: 0.001)
        configuration.headerTimeout = .milliseconds(Int64((seconds * 1000).rounded()))
        configuration.maxConnections = try Self.value(
            maxConnections, env, "PATCHBAY_MAX_CONNECTIONS", default: 10_000, minimum: 1)
        configuration.maxBodySize = try Self.value(
            maxBody, env, "PATCHBAY_MAX_BODY", default: 1 << 20, minimum: 0)
    }

    /// The flag's value, else the environment variable's, else `fallback`; refuses a value that does
    /// not parse or is below `minimum` instead of silently using the default.
    static func value<T: LosslessStringConvertible & Comparable>(
        _ flag: T?, _ env: [String: String], _ name: String, default fallback: T, minimum: T
    ) throws -> T {
        let value: T
        if let flag {
            value = flag
        } else if let text = env[name], !text.isEmpty {
            guard let parsed = T(text) else { throw ValidationError("\(name)='\(text)' is not a number.") }
            value = parsed
        } else {
            value = fallback
        }
        guard value >= minimum else {
            let source = flag == nil ? name : "--" + flagName(name)
            throw ValidationError("\(source) must be at least \(minimum).")
        }
        return value
    }

    /// `PATCHBAY_MAX_BODY` → `max-body`, `PATCHBAY_DB_ACQUIRE_TIMEOUT_MS` → `db-acquire-timeout-ms`.
    private static func flagName(_ variable: String) -> String {
        String(variable.dropFirst("PATCHBAY_".count).lowercased().map { $0 == "_" ? "-" : $0 })
    }
}
