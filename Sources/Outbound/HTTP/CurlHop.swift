import CCurl
import Glibc

/// One request/response exchange with libcurl, to a destination already resolved and checked.
struct CurlHop {
    struct Outcome {
        var status: Int
        var headers: OutboundHTTPHeaders
        var body: [UInt8]
        /// Where a 3xx response points, made absolute by libcurl.
        var redirectURL: String?
        var remoteIP: String
        var connect: Duration
        var tls: Duration
    }

    let easy: CurlEasy
    let url: CurlURL
    let destination: CheckedDestination
    let method: String
    let headers: OutboundHTTPHeaders
    let body: [UInt8]
    let timeout: Duration
    let maxResponseBytes: Int
    let userAgent: String
    let network: OutboundNetwork
    let cancellation: CancellationFlag

    /// Performs the exchange on `easy`, whose connections may be reused, blocking the calling
    /// thread; throws `OutboundError`. A failed hop may leave a half-read connection in `easy`:
    /// the caller must discard it.
    func run() throws -> Outcome {
        // The handle outlives this hop: nothing of it (callback data, lists) may stay behind. A
        // handle is therefore clean when it comes to the next hop, as it is when new.
        defer { easy.reset() }
        let context = try prepare()
        return try outcome(of: easy.perform(), context)
    }

    /// Performs the exchange in `multi`, waiting for its sockets with `waiter`; otherwise as `run()`.
    func run(in multi: CurlMulti, waiter: any OutboundSocketWaiter) async throws -> Outcome {
        defer { easy.reset() }
        let context = try prepare()
        let code = try await multi.perform(easy, waiter: waiter, cancellation: cancellation)
        return try outcome(of: code, context)
    }

    /// Sets the hop's options and callbacks on `easy`; the context collects what they receive.
    private func prepare() throws -> TransferContext {
        let context = TransferContext(
            limit: maxResponseBytes, allowed: destination.addresses, port: destination.port, network: network,
            cancellation: cancellation)
        try context.install(on: easy)
        try configure()
        if sendsBody {
            // libcurl keeps its own copy, so the body need not outlive this call.
            try body.withUnsafeBytes { bytes in
                let empty: StaticString = ""
                let start = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                // libcurl only reads it; the pointer is mutable in its prototype alone.
                try easy.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: start))
            }
        }
        return context
    }

    /// The hop's outcome once libcurl is done with `code`.
    private func outcome(of code: CURLcode, _ context: TransferContext) throws -> Outcome {
        guard code == CURLE_OK else {
            throw CurlFailure(
                code: code, context: context, easy: easy, url: url, timeout: timeout, headers: headers
            )
            .error
        }
        let connected = easy.info(large: CURLINFO_CONNECT_TIME_T)
        let handshaken = easy.info(large: CURLINFO_APPCONNECT_TIME_T)
        let lookedUp = easy.info(large: CURLINFO_NAMELOOKUP_TIME_T)
        return Outcome(
            status: easy.info(CURLINFO_RESPONSE_CODE), headers: context.headers, body: context.body,
            redirectURL: easy.info(string: CURLINFO_REDIRECT_URL),
            remoteIP: easy.info(string: CURLINFO_PRIMARY_IP) ?? "",
            connect: .microseconds(max(0, connected - lookedUp)),
            tls: .microseconds(handshaken > 0 ? max(0, handshaken - connected) : 0))
    }

    private var sendsBody: Bool {
        !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method.uppercased())
    }

    private func configure() throws {
        try easy.set(CURLOPT_URL, url.text)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, 0)
        // Proxies from the environment would connect somewhere the policy never saw.
        try easy.set(CURLOPT_PROXY, "")
        try easy.set(CURLOPT_NOSIGNAL, 1)
        // Live connections kept for later requests: a few, and none older than a minute.
        try easy.set(CURLOPT_MAXCONNECTS, CurlSession.maxConnections)
        try easy.set(CURLOPT_MAXAGE_CONN, CurlSession.maxConnectionAge)
        try easy.set(CURLOPT_TIMEOUT_MS, max(1, Int(timeout / .milliseconds(1))))
        try easy.set(CURLOPT_MAXFILESIZE_LARGE, large: maxResponseBytes)
        try easy.set(CURLOPT_USERAGENT, userAgent)
        if IPAddress(url.host) == nil {
            try easy.set(CURLOPT_RESOLVE, list: [url.resolveEntry(destination.addresses)])
        }
        switch method.uppercased() {
        case "GET" where body.isEmpty: try easy.set(CURLOPT_HTTPGET, 1)
        case "HEAD": try easy.set(CURLOPT_NOBODY, 1)
        default: try easy.set(CURLOPT_CUSTOMREQUEST, method)
        }
        if sendsBody { try easy.set(CURLOPT_POSTFIELDSIZE_LARGE, large: body.count) }
        try easy.set(CURLOPT_HTTPHEADER, list: headerLines())
    }

    /// The caller's headers, plus blanks that stop libcurl adding its own defaults for bodies
    /// (a form content type and `Expect: 100-continue`, which stalls servers that ignore it).
    private func headerLines() throws -> [String] {
        var lines: [String] = []
        for field in headers {
            let bad =
                field.name.isEmpty
                || (field.name + field.value).utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 }
            guard !bad else {
                throw OutboundError.invalidRequest("header '\(field.name)' has a line break or no name")
            }
            // "Name;" is libcurl's spelling for a header sent with an empty value.
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if sendsBody, headers["Content-Type"] == nil { lines.append("Content-Type:") }
        if headers["Expect"] == nil { lines.append("Expect:") }
        return lines
    }
}
