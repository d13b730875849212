import Logging

/// Which check a probe runs after connecting.
public enum ProbeKind: Sendable, Equatable {
    /// TCP connect only.
    case tcp
    /// `AUTH` (when a password is given), then `PING`, expecting `+PONG`. With `tls`, only the
    /// TCP connection is checked, and the result says so.
    case redis(username: String? = nil, password: String? = nil, tls: Bool = false)
    /// Reads the server's initial handshake packet.
    case mysql
    /// Sends the AMQP 0-9-1 protocol header and reads `Connection.Start`.
    case amqp
    /// Sends an `ApiVersions` v0 request and checks the response's shape.
    case kafka
    /// Reads the 220 greeting.
    case smtp
    /// Reads the 220 greeting.
    case ftp
    /// Reads the `INFO {...}` line.
    case nats
    /// Sends MQTT 3.1.1 `CONNECT` and reads `CONNACK`.
    case mqtt(username: String? = nil, password: String? = nil)
}

/// What a probe found.
public struct ProbeResult: Sendable, Equatable {
    /// The server answered as the protocol expects and reported no problem.
    /// False when it answered correctly but reported one (an SMTP 554 greeting, a MySQL error packet).
    public var success: Bool
    /// For people; names the check that ran ("TCP connect only", "Redis PING answered").
    public var message: String
    /// From the first connection attempt to the end of the check.
    public var latency: Duration
    /// Facts gathered on the way (`address`, `connect_ms`, `version`, ...).
    public var details: [String: String]
}

/// Reachability and protocol checks of user-configured hosts, under an `OutboundPolicy`.
///
/// The host is resolved once, every address checked, and only checked addresses connected to.
/// Sockets are non-blocking and polled on a dedicated thread, never on Swift's cooperative pool.
public struct OutboundProber: Sendable {
    public let policy: OutboundPolicy
    public let network: OutboundNetwork
    public let logger: Logger

    public init(
        policy: OutboundPolicy = OutboundPolicy(), network: OutboundNetwork = .live,
        logger: Logger = Logger(label: "outbound.probe")
    ) {
        self.policy = policy
        self.network = network
        self.logger = logger
    }

    /// Runs `kind` against `host:port` within `timeout` (DNS aside). Throws `OutboundError`:
    /// `dnsFailure`, `connectionRefused`, `timeout`, `authRejected`, `protocolError`,
    /// `addressNotAllowed`, `cancelled` or `other`.
    public func probe(
        _ kind: ProbeKind, host: String, port: Int, timeout: Duration = .seconds(5)
    ) async throws -> ProbeResult {
        guard (1...65_535).contains(port) else {
            throw OutboundError.invalidRequest("port \(port) is out of range")
        }
        let result = try await BlockingThread.run { cancellation in
            let destination = try CheckedDestination.resolve(
                host: host, port: port, policy: policy, network: network)
            let started = ContinuousClock.now
            let connection = try ProbeConnection.open(
                to: destination, network: network, timeout: timeout, cancellation: cancellation)
            var outcome = try ProtocolCheck.run(kind, on: connection, host: host)
            outcome.details["address"] = connection.address.description
            outcome.details["connect_ms"] = milliseconds(connection.connectTime)
            return ProbeResult(
                success: outcome.success, message: outcome.message, latency: .now - started,
                details: outcome.details)
        }
        logger.debug(
            "probe done", metadata: ["host": "\(host)", "port": "\(port)", "success": "\(result.success)"])
        return result
    }
}

/// Milliseconds with three decimals, for details.
func milliseconds(_ duration: Duration) -> String {
    let micros = duration / .microseconds(1)
    return "\(Int(micros) / 1000).\(String(Int(micros) % 1000 + 1000).dropFirst())"
}
