import JSON

/// Why a test cannot even start: the config lacks what the probe reads, or a value is malformed.
/// The message names fields, never values from `auth`.
struct SetupProblem: Error {
    let message: String
}

/// A host and port a probe connects to, read from a connector's config.
struct Endpoint: Sendable, Equatable {
    var host: String
    var port: Int

    /// `config.host` and `config.port` (or `defaultPort` when the config has none).
    static func from(_ config: JSONObject, hostKey: String = "host", defaultPort: Int) throws(SetupProblem)
        -> Endpoint
    {
        guard let raw = config[hostKey]?.string?.trimmingHeaderSpace(), !raw.isEmpty else {
            throw SetupProblem(message: "The config has no \(hostKey).")
        }
        let port = try port(config["port"], default: defaultPort)
        return Endpoint(host: try host(raw), port: port)
    }

    /// `broker:9092`, `[::1]:9092`, `nats://host:4222` or a bare `host` with `defaultPort`.
    static func parse(_ text: String, defaultPort: Int) throws(SetupProblem) -> Endpoint {
        var rest = Substring(text.trimmingHeaderSpace())
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        rest = rest.prefix { $0 != "/" && $0 != "?" }
        var hostPart = rest
        var portPart: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                throw SetupProblem(message: "'\(text)' is not host:port.")
            }
            hostPart = rest[...close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
        } else if let colon = rest.lastIndex(of: ":"), rest.firstIndex(of: ":") == colon {
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        }
        let port: Int
        if let portPart {
            guard let number = Int(portPart) else {
                throw SetupProblem(message: "'\(text)' has no valid port.")
            }
            port = try Self.port(.int(Int64(number)), default: defaultPort)
        } else {
            port = defaultPort
        }
        return Endpoint(host: try host(String(hostPart)), port: port)
    }

    /// A host name or address literal, without IPv6 brackets. Commas (libpq's host lists) and
    /// slashes (unix sockets) are refused: a probe reaches exactly one network host.
    static func host(_ raw: String) throws(SetupProblem) -> String {
        var host = raw
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let forbidden: Set<Character> = [",", "/", " ", "\\", "@", "?", "#"]
        guard !host.isEmpty, !host.contains(where: { forbidden.contains($0) || $0.isNewline }) else {
            throw SetupProblem(message: "'\(raw)' is not a host name or address.")
        }
        return host
    }

    static func port(_ value: JSON?, default fallback: Int) throws(SetupProblem) -> Int {
        guard let value, !value.isNull else {
            // A probe without a conventional port (plain TCP) cannot guess one.
            guard fallback > 0 else { throw SetupProblem(message: "The config has no port.") }
            return fallback
        }
        let number = value.int ?? value.string.flatMap { Int($0) }
        guard let number, (1...65_535).contains(number) else {
            throw SetupProblem(message: "The port must be a number from 1 to 65535.")
        }
        return number
    }
}
