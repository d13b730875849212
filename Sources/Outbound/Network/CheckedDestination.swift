/// A host and port whose addresses were resolved once and all passed the policy.
///
/// Connections go only to `addresses`, never to a fresh lookup of `host`, so a DNS answer that
/// changes between check and connect (rebinding) cannot redirect them.
struct CheckedDestination: Sendable {
    let host: String
    let port: Int
    let addresses: [IPAddress]
    /// Time spent resolving the name (zero for an address literal).
    let lookupTime: Duration

    /// Resolves `host` (unless it is an address literal) and checks every address.
    ///
    /// One refused address refuses the destination: a name that mixes public and internal
    /// answers is treated as hostile rather than trimmed.
    static func resolve(
        host: String, port: Int, policy: OutboundPolicy, network: OutboundNetwork
    ) throws -> CheckedDestination {
        let start = ContinuousClock.now
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            addresses = try network.resolve(host)
        }
        return try checked(host: host, port: port, addresses: addresses, policy: policy, since: start)
    }

    /// Like `resolve`, without waiting: nil when `host` is a name `network` has no answer at hand for.
    static func resolveWithoutWaiting(
        host: String, port: Int, policy: OutboundPolicy, network: OutboundNetwork
    ) throws -> CheckedDestination? {
        let start = ContinuousClock.now
        guard let addresses = IPAddress(host).map({ [$0] }) ?? network.knownAddresses(host) else {
            return nil
        }
        return try checked(host: host, port: port, addresses: addresses, policy: policy, since: start)
    }

    private static func checked(
        host: String, port: Int, addresses: [IPAddress], policy: OutboundPolicy,
        since start: ContinuousClock.Instant
    ) throws -> CheckedDestination {
        let lookupTime = ContinuousClock.now - start
        for address in addresses {
            if case .refused(let reason) = policy.decision(for: address, host: host) {
                throw OutboundError.addressNotAllowed(
                    host: host, address: address.description, reason: reason.description)
            }
        }
        return CheckedDestination(host: host, port: port, addresses: addresses, lookupTime: lookupTime)
    }
}
