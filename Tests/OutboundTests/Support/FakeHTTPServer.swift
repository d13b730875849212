import Foundation

/// A small HTTP/1.1 server on 127.0.0.1 with the routes the client tests need. One request per
/// connection (`Connection: close`), or with `keepAlive` as many as the client sends; every
/// response names the address that served it in `X-Served-By`.
///
/// Routes: `/status/N`, `/slow/MS`, `/redirect/PATH` (302 to `/PATH`), `/redirect-to/HOST:PORT/PATH`
/// (302 to another origin), `/see-other` (303 to `/echo`), `/loop/N` (302 to `/loop/N+1`),
/// `/large/N` (N bytes with Content-Length), `/stream/N` (N bytes chunked, no length),
/// `/echo` (the request's method, head and body as the body), `/retry` (503 with Retry-After).
final class FakeHTTPServer: @unchecked Sendable {  // `server` set once in init; `requests` guarded by `lock`
    private var server: TestServer!
    private let lock = NSLock()
    private var requests = 0
    var port: Int { server.port }
    /// TCP connections accepted.
    var connectionCount: Int { server.connectionCount }
    /// Connections still open.
    var openConnectionCount: Int { server.openConnectionCount }
    /// Requests read, over all connections.
    var requestCount: Int { lock.withLock { requests } }

    let host: String
    let keepAlive: Bool

    /// Listens on `host`, on `port` or (0) a free one.
    init(host: String = "127.0.0.1", port: Int = 0, keepAlive: Bool = false) throws {
        self.host = host
        self.keepAlive = keepAlive
        server = try TestServer(host: host, port: port) { [weak self] client in
            while let self, self.serve(client), self.keepAlive {}
        }
    }

    func url(_ path: String, host: String? = nil) -> String { "http://\(host ?? self.host):\(port)\(path)" }

    func stop() { server.stop() }

    /// Answers one request; false when the connection is over.
    private func serve(_ client: TestSocket) -> Bool {
        let first = client.read(exactly: 1)
        if first == [0x16] {
            // A TLS ClientHello: answer in plain text, as a misconfigured port would.
            client.write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
            return false
        }
        let head = String(decoding: first + client.read(until: Array("\r\n\r\n".utf8)), as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return false }
        lock.withLock { requests += 1 }
        let path = String(parts[1])
        let length =
            lines.lazy.compactMap { line -> Int? in
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2, pair[0].lowercased() == "content-length" else { return nil }
                return Int(pair[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        let body = client.read(exactly: length)
        return respond(to: path, head: head, body: body, on: client)
    }

    private func respond(to path: String, head: String, body: [UInt8], on client: TestSocket) -> Bool {
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        let segments = route.split(separator: "/").map(String.init)
        let first = segments.first ?? ""
        let rest = segments.dropFirst().joined(separator: "/")
        switch first {
        case "status":
            return send(client, status: Int(rest) ?? 500, body: Array("status \(rest)".utf8))
        case "slow":
            Thread.sleep(forTimeInterval: Double(Int(rest) ?? 0) / 1000)
            return send(client, status: 200, body: Array("slow".utf8))
        case "redirect":
            return send(client, status: 302, headers: ["Location: /\(rest)"], body: [])
        case "redirect-to":
            return send(client, status: 302, headers: ["Location: http://\(rest)"], body: [])
        case "redirect-tls-to":
            return send(client, status: 302, headers: ["Location: https://\(rest)"], body: [])
        case "see-other":
            return send(client, status: 303, headers: ["Location: /echo"], body: [])
        case "loop":
            return send(client, status: 302, headers: ["Location: /loop/\((Int(rest) ?? 0) + 1)"], body: [])
        case "large":
            return send(client, status: 200, body: [UInt8](repeating: 0x61, count: Int(rest) ?? 0))
        case "stream":
            return stream(client, count: Int(rest) ?? 0)
        case "echo":
            return send(
                client, status: 200, headers: ["X-Echo: yes", "X-Echo: twice"], body: Array(head.utf8) + body)
        case "retry":
            return send(client, status: 503, headers: ["Retry-After: 7"], body: [])
        default:
            return send(client, status: 404, body: Array("no route".utf8))
        }
    }

    private var connectionHeader: String {
        "Connection: \(keepAlive ? "keep-alive" : "close")\r\nX-Served-By: \(host)\r\n"
    }

    private func send(_ client: TestSocket, status: Int, headers: [String] = [], body: [UInt8]) -> Bool {
        var head = "HTTP/1.1 \(status) Test\r\n\(connectionHeader)Content-Length: \(body.count)\r\n"
        for header in headers { head += header + "\r\n" }
        return client.write(Array((head + "\r\n").utf8) + body)
    }

    private func stream(_ client: TestSocket, count: Int) -> Bool {
        client.write("HTTP/1.1 200 OK\r\n\(connectionHeader)Transfer-Encoding: chunked\r\n\r\n")
        var left = count
        let chunk = [UInt8](repeating: 0x62, count: 16_384)
        while left > 0 {
            let size = min(left, chunk.count)
            guard client.write(Array(String(size, radix: 16).utf8) + [13, 10] + chunk[0..<size] + [13, 10])
            else { return false }
            left -= size
        }
        return client.write("0\r\n\r\n")
    }
}
