import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A response as a test reads it off the wire.
struct WireResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

enum RawClientError: Error {
    case connectFailed(Int32)
    case timeout
    case closed
    case malformed(String)
}

/// A blocking TCP client over a plain socket, so tests can send exactly the bytes they mean
/// (malformed ones included) and see exactly what comes back.
/// `@unchecked Sendable`: wraps a socket; each test uses it from one thread at a time.
final class RawClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var isAtEOF = false

    init(port: Int, timeout: Double = 3) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw RawClientError.connectFailed(code)
        }
        setTimeout(timeout)
    }

    private var isClosed = false

    deinit { close() }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(fd)
    }

    func setTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw RawClientError.closed }
            offset += count
        }
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes into the buffer; false at EOF or reset.
    @discardableResult
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
        if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw RawClientError.timeout }
        isAtEOF = true
        return false
    }

    /// Reads one response (Content-Length or chunked framed). `head` skips the body.
    func readResponse(head: Bool = false) throws -> WireResponse {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.firstRange(of: [13, 10, 13, 10])?.upperBound
            if headEnd == nil, try !fill() { throw RawClientError.closed }
        }
        let headText = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw RawClientError.malformed(headText)
        }
        let headers = lines.map { line -> (String, String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
        }
        buffer.removeFirst(headEnd!)
        var response = WireResponse(status: status, headers: headers, body: [])
        if head || status == 304 || status == 204 || status < 200 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            while buffer.count < length { if try !fill() { throw RawClientError.closed } }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            while try fill() {}
            response.body = buffer
            buffer.removeAll()
        }
        return response
    }

    /// True if the server closes the connection within the timeout (EOF or reset).
    func waitForClose() -> Bool {
        do {
            while try fill() {}
            return true
        } catch {
            return false
        }
    }

    /// Bytes received and not yet consumed as a response.
    var leftover: [UInt8] { buffer }
}

/// One request/response on a fresh connection.
func fetch(port: Int, _ request: String, head: Bool = false) throws -> WireResponse {
    let client = try RawClient(port: port)
    try client.send(request)
    return try client.readResponse(head: head)
}

func get(port: Int, _ path: String, headers: String = "") throws -> WireResponse {
    try fetch(port: port, "GET \(path) HTTP/1.1\r\nHost: localhost\r\n\(headers)\r\n")
}

/// Runs blocking client code on its own thread, so it neither blocks nor waits on Swift's
/// cooperative pool (which the server's shutdown uses).
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
