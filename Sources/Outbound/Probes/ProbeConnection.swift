import Glibc

/// A TCP connection for a protocol probe: non-blocking socket, every wait bounded by one
/// deadline through `poll`, and a look at the cancellation flag at least every 50 ms.
/// Used on one dedicated thread.
final class ProbeConnection {
    let address: IPAddress
    /// How long the TCP handshake took.
    let connectTime: Duration
    private let fd: Int32
    private let deadline: ContinuousClock.Instant
    private let timeout: Duration
    private let cancellation: CancellationFlag
    private var buffer: [UInt8] = []

    private init(
        fd: Int32, address: IPAddress, connectTime: Duration, deadline: ContinuousClock.Instant,
        timeout: Duration,
        cancellation: CancellationFlag
    ) {
        self.fd = fd
        self.address = address
        self.connectTime = connectTime
        self.deadline = deadline
        self.timeout = timeout
        self.cancellation = cancellation
    }

    deinit { close(fd) }

    /// Connects to the first checked address that accepts, in the resolver's order.
    static func open(
        to destination: CheckedDestination, network: OutboundNetwork, timeout: Duration,
        cancellation: CancellationFlag
    ) throws -> ProbeConnection {
        let deadline = ContinuousClock.now + timeout
        var lastError = OutboundError.connectionRefused(host: destination.host, port: destination.port)
        for address in destination.addresses {
            network.willConnect(address, destination.port)
            let started = ContinuousClock.now
            do {
                let fd = try SocketAddress(address, port: destination.port).connect(
                    until: deadline, timeout: timeout, cancellation: cancellation)
                return ProbeConnection(
                    fd: fd, address: address, connectTime: .now - started, deadline: deadline,
                    timeout: timeout,
                    cancellation: cancellation)
            } catch SocketFailure.errno(let code) {
                lastError =
                    code == ECONNREFUSED
                    ? .connectionRefused(host: destination.host, port: destination.port)
                    : .other(
                        "could not connect to \(destination.host) port \(destination.port): \(errorText(code))"
                    )
            }
        }
        throw lastError
    }

    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            try wait(for: Int16(POLLOUT))
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0, errno == EAGAIN || errno == EINTR { continue }
            guard sent > 0 else { throw OutboundError.protocolError("the connection closed while sending") }
            offset += sent
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Exactly `count` bytes; a close before then is a protocol error.
    func receive(exactly count: Int) throws -> [UInt8] {
        while buffer.count < count { try fill() }
        defer { buffer.removeFirst(count) }
        return Array(buffer[0..<count])
    }

    /// One line without its CRLF (or LF); lines over `limit` bytes are a protocol error.
    func receiveLine(limit: Int = 8192) throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                var line = Array(buffer[0..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == 13 { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count < limit else {
                throw OutboundError.protocolError("a line longer than \(limit) bytes")
            }
            try fill()
        }
    }

    private func fill() throws {
        try wait(for: Int16(POLLIN))
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count < 0, errno == EAGAIN || errno == EINTR { return }
        guard count > 0 else {
            let reason =
                count == 0 ? "the server closed the connection" : "the connection failed: \(errorText(errno))"
            throw OutboundError.protocolError(buffer.isEmpty ? "\(reason) without answering" : reason)
        }
        buffer += chunk[0..<count]
    }

    private func wait(for events: Int16) throws {
        try pollUntil(
            fd: fd, events: events, deadline: deadline, timeout: timeout, cancellation: cancellation)
    }
}

/// Waits for `events` on `fd`, in slices short enough to notice cancellation promptly.
func pollUntil(
    fd: Int32, events: Int16, deadline: ContinuousClock.Instant, timeout: Duration,
    cancellation: CancellationFlag
) throws {
    while true {
        if cancellation.isCancelled { throw OutboundError.cancelled }
        let remaining = deadline - .now
        guard remaining > .zero else { throw OutboundError.timeout(after: timeout) }
        var entry = pollfd(fd: fd, events: events, revents: 0)
        let slice = Int32(min(50, max(1, remaining / .milliseconds(1))))
        let ready = poll(&entry, 1, slice)
        if ready > 0 { return }
        if ready < 0, errno != EINTR { throw OutboundError.other("poll failed: \(errorText(errno))") }
    }
}

func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
