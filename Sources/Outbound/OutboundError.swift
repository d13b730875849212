/// Everything that can go wrong reaching a user-configured host, worded for people.
///
/// Messages never carry request headers or bodies, and URLs in them have their user
/// information and query string removed (see `redactedURL`).
public enum OutboundError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The host name did not resolve.
    case dnsFailure(host: String)
    /// The host answered that nothing listens on the port.
    case connectionRefused(host: String, port: Int)
    /// No answer within the time allowed.
    case timeout(after: Duration)
    /// The TLS handshake or certificate check failed.
    case tlsError(String)
    /// The destination resolved to an address the policy refuses.
    case addressNotAllowed(host: String, address: String, reason: String)
    /// More redirects than allowed.
    case tooManyRedirects(limit: Int)
    /// The request itself is malformed (for example a header with a line break).
    case invalidRequest(String)
    /// The URL cannot be used (bad syntax, or a scheme other than http/https).
    case invalidURL(String)
    /// The response body went past the limit.
    case responseTooLarge(limit: Int)
    /// The server rejected the credentials.
    case authRejected(String)
    /// The server answered, but not as the protocol expects.
    case protocolError(String)
    /// A configuration value (such as the allow-list) is malformed.
    case invalidConfiguration(String)
    /// The calling task was cancelled.
    case cancelled
    /// Anything else, already worded for people.
    case other(String)

    public var description: String {
        switch self {
        case .dnsFailure(let host): return "could not resolve host name '\(host)'"
        case .connectionRefused(let host, let port): return "connection refused by \(host) port \(port)"
        case .timeout(let after): return "no answer within \(Self.seconds(after))"
        case .tlsError(let detail): return "TLS failed: \(detail)"
        case .addressNotAllowed(let host, let address, let reason):
            let target = host == address ? address : "'\(host)' (\(address))"
            return "outbound connections to \(target) are not allowed: \(reason) address"
        case .tooManyRedirects(let limit): return "more than \(limit) redirects"
        case .invalidURL(let detail): return "invalid URL: \(detail)"
        case .invalidRequest(let detail): return "invalid request: \(detail)"
        case .responseTooLarge(let limit): return "response body larger than the limit of \(limit) bytes"
        case .authRejected(let detail): return "authentication rejected: \(detail)"
        case .protocolError(let detail): return "unexpected answer: \(detail)"
        case .invalidConfiguration(let detail): return "invalid outbound configuration: \(detail)"
        case .cancelled: return "cancelled"
        case .other(let detail): return detail
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let millis =
            duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if millis % 1000 == 0 { return "\(millis / 1000) s" }
        return "\(Double(millis) / 1000) s"
    }
}
