import Outbound

/// Turns the errors of the outbound layer into results a person can act on.
enum FailureWording {
    /// The environment variable that holds the outbound allow-list, named in refusals so that the
    /// person knows what to ask for.
    static let allowListSetting = "PATCHBAY_OUTBOUND_ALLOW"

    /// A failed result for `error`, met while talking to `host`:`port` (`port` nil for URLs).
    static func result(for error: any Error, host: String, port: Int?) -> ConnectionTestResult {
        var result = worded(error, host: host, port: port)
        result.message = sentence(result.message)
        return result
    }

    private static func worded(_ error: any Error, host: String, port: Int?) -> ConnectionTestResult {
        guard let outbound = error as? OutboundError else {
            if error is CancellationError { return .failure(.cancelled, "The test was cancelled.") }
            return .failure(.other, "The test failed: \(type(of: error)).")
        }
        let place = port.map { "\(host) port \($0)" } ?? host
        switch outbound {
        case .dnsFailure(let name):
            return .failure(.dnsFailure, "Could not resolve the host name \(name) (DNS failure).")
        case .connectionRefused(let name, let port):
            return .failure(
                .connectionRefused, "Connection refused by \(name) port \(port): nothing is listening there.")
        case .timeout(let after):
            return .failure(.timeout, "No answer from \(place) within \(seconds(after)) (timeout).")
        case .tlsError(let detail):
            return .failure(.tlsError, "The TLS handshake with \(place) failed: \(detail)")
        case .addressNotAllowed(let name, let address, let reason):
            let target = name == address ? address : "\(name) (\(address))"
            return .failure(
                .addressNotAllowed,
                "Connections to \(target) are not allowed (\(reason) address); ask an administrator to allow "
                    + "this host (\(allowListSetting)).",
                details: ["refused_address": address])
        case .tooManyRedirects(let limit):
            return .failure(.unexpectedResponse, "\(place) redirected more than \(limit) times.")
        case .invalidRequest(let detail), .invalidURL(let detail):
            return .failure(.invalidConfiguration, "The test request cannot be sent: \(detail)")
        case .responseTooLarge(let limit):
            return .failure(.unexpectedResponse, "The answer from \(place) is larger than \(limit) bytes.")
        case .authRejected(let detail):
            return .failure(.authRejected, "The service rejected the credentials: \(detail)")
        case .protocolError(let detail):
            return .failure(.protocolError, "\(place) answered, but not as expected: \(detail)")
        case .invalidConfiguration(let detail):
            return .failure(.invalidConfiguration, "The outbound settings are invalid: \(detail)")
        case .cancelled:
            return .failure(.cancelled, "The test was cancelled.")
        case .other(let detail):
            return .failure(.other, "The connection to \(place) failed: \(detail)")
        }
    }

    /// `2 s`, `1.5 s`.
    static func seconds(_ duration: Duration) -> String {
        let millis = milliseconds(duration)
        if millis % 1000 == 0 { return "\(millis / 1000) s" }
        return "\(Double(millis) / 1000) s"
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
