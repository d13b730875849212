import Outbound

/// Runs a `SocketProbePlan` through the outbound prober, which resolves each host once, checks
/// every address against the policy and connects only to checked addresses.
struct SocketProbeTest {
    let prober: OutboundProber
    let plan: SocketProbePlan
    let timeout: Duration

    /// The first endpoint that answers decides; when none does, the first failure is reported
    /// (it names the server the person listed first).
    func run() async -> ConnectionTestResult {
        var firstFailure: ConnectionTestResult?
        for (index, endpoint) in plan.endpoints.enumerated() {
            var result: ConnectionTestResult
            do {
                let probe = try await prober.probe(
                    plan.kind, host: endpoint.host, port: endpoint.port, timeout: timeout)
                result = outcome(probe, endpoint: endpoint)
            } catch {
                result = FailureWording.result(for: error, host: endpoint.host, port: endpoint.port)
            }
            result.details["host"] = endpoint.host
            result.details["port"] = String(endpoint.port)
            if plan.endpoints.count > 1 {
                result.details["endpoint"] = "\(index + 1) of \(plan.endpoints.count)"
            }
            if result.success || result.errorKind == .cancelled { return result }
            if firstFailure == nil { firstFailure = result }
        }
        return firstFailure ?? .failure(.invalidConfiguration, "The config names no server to test.")
    }

    private func outcome(_ probe: ProbeResult, endpoint: Endpoint) -> ConnectionTestResult {
        var details = probe.details
        if case .tcp = plan.kind {
            details["check"] = "tcp"
            let reason = plan.tcpOnlyReason.map { "; \($0)" } ?? ""
            return ConnectionTestResult(
                success: true,
                message: "TCP connect only: port \(endpoint.port) on \(endpoint.host) is reachable\(reason).",
                details: details)
        }
        details["check"] = checkName
        if probe.message.hasPrefix("TCP connect only") {
            // The prober fell back to TCP (Redis over TLS): its message already says so.
            return ConnectionTestResult(
                success: probe.success, message: sentence(probe.message), details: details)
        }
        guard probe.success else {
            return .failure(.protocolError, sentence(probe.message), details: details)
        }
        let note = plan.note.map { "; \($0)" } ?? ""
        return ConnectionTestResult(success: true, message: sentence(probe.message + note), details: details)
    }

    private var checkName: String {
        switch plan.kind {
        case .tcp: "tcp"
        case .redis: "redis"
        case .mysql: "mysql"
        case .amqp: "amqp"
        case .kafka: "kafka"
        case .smtp: "smtp"
        case .ftp: "ftp"
        case .nats: "nats"
        case .mqtt: "mqtt"
        }
    }
}

/// `text` ending with a full stop (server texts and outbound messages often have none).
func sentence(_ text: String) -> String {
    guard let last = text.last, !".!?…".contains(last) else { return text }
    return text + "."
}
