/// The libcurl handle one transfer thread keeps between requests, and the addresses its
/// connections went to. A session driven from an event loop (`LoopTransfers`) also keeps the
/// multi handle its transfers run in, which is where libcurl then keeps the connections.
///
/// libcurl keeps finished connections in the handle and reuses one for a later request with the
/// same scheme, host name and port, without looking at the name's addresses again and without
/// opening a socket, so the socket gate of `TransferContext` never sees it. Reuse therefore has
/// gates of its own:
/// - per host and port, the session records every address the handle has connected to; before a
///   hop, if any of them is not among the hop's checked addresses (the name now resolves
///   elsewhere, or another client's policy allowed what this one refuses), the handle and all its
///   connections are dropped;
/// - `TransferContext` checks the peer of every connection, new or reused, right before the
///   request goes out on it (`CURLOPT_PREREQFUNCTION`);
/// - a failed hop drops the handle, so a connection left half-read is never reused.
///
/// Connections are shared between requests on behalf of different tenants to the same origin:
/// an HTTP/1.1 connection carries no authentication from one request to the next (credentials
/// travel in each request's own headers; no connection-bound scheme such as NTLM is enabled), and
/// libcurl never reuses a connection whose TLS settings differ from the new request's. On HTTP/2
/// the header compression table remembers earlier fields, but only as the sender's shorthand: the
/// server cannot make one request carry another's headers.
final class CurlSession {
    /// Idle connections a handle keeps (`CURLOPT_MAXCONNECTS`).
    static let maxConnections = 4
    /// Seconds after which an idle connection is closed rather than reused (`CURLOPT_MAXAGE_CONN`).
    static let maxConnectionAge = 60
    /// Origins recorded before the handle is dropped: the record cannot tell which connections
    /// libcurl has already closed, so it is only ever cleared together with the handle.
    static let maxOrigins = 32

    private struct Origin: Hashable {
        let host: String
        let port: Int
    }

    private var easy: CurlEasy?
    private var multi: CurlMulti?
    private var connected: [Origin: Set<IPAddress>] = [:]

    /// The handle for a hop to `destination`: a fresh one unless every connection the current one
    /// may hold to that host and port goes to one of the hop's checked addresses.
    func handle(for destination: CheckedDestination) throws -> CurlEasy {
        let origin = Origin(host: destination.host, port: destination.port)
        if let known = connected[origin] {
            if !known.isSubset(of: destination.addresses) { discard() }
        } else if connected.count >= Self.maxOrigins {
            discard()
        }
        if let easy { return easy }
        let fresh = try CurlEasy()
        easy = fresh
        return fresh
    }

    /// The multi handle transfers of this session run in when driven from an event loop.
    func multiHandle() throws -> CurlMulti {
        if let multi { return multi }
        let fresh = try CurlMulti(maxConnections: Self.maxConnections)
        multi = fresh
        return fresh
    }

    /// Records the peer of the connection a successful hop to `destination` used (libcurl's
    /// `CURLINFO_PRIMARY_IP`); an address it cannot read drops the handle.
    func record(remoteIP: String, for destination: CheckedDestination) {
        let bare = remoteIP.split(separator: "%", maxSplits: 1).first ?? ""
        guard let address = IPAddress(bare) else { return discard() }
        connected[Origin(host: destination.host, port: destination.port), default: []].insert(address)
    }

    /// Closes the handles and every connection they hold.
    func discard() {
        easy = nil
        multi = nil
        connected = [:]
    }
}
