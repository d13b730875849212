import Foundation
import Glibc

/// A small HTTP/1.1 server on 127.0.0.1 that answers each path from a script: a list of replies
/// given in order (the last one repeats), or a closure of the request. Every request is recorded
/// as received, so tests can assert what reached the wire. One request per connection.
final class ScriptedHTTPServer: @unchecked Sendable {  // mutable state guarded by `lock`
    typealias Responder = @Sendable (_ request: ReceivedRequest, _ hit: Int) -> ScriptedReply

    private let listener: ScriptedSocket
    private let lock = NSLock()
    private var scripts: [String: Responder] = [:]
    private var requests: [ReceivedRequest] = []
    private var openClients: [ScriptedSocket] = []
    private var isStopped = false

    let port: Int

    init() throws {
        listener = try ScriptedSocket.listen()
        port = listener.port
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Answers `path` with `replies` in order, repeating the last one.
    func script(_ path: String, _ replies: ScriptedReply...) {
        script(path) { _, hit in replies[min(hit, replies.count) - 1] }
    }

    /// Answers `path` with whatever `responder` makes of the request and its hit number (1-based).
    func script(_ path: String, responder: @escaping Responder) {
        lock.withLock { scripts[path] = responder }
    }

    /// Requests received for `path` (without its query), in order.
    func received(_ path: String) -> [ReceivedRequest] {
        lock.withLock { requests.filter { $0.path == path } }
    }

    func hits(_ path: String) -> Int { received(path).count }

    /// Every request received, in order.
    var allReceived: [ReceivedRequest] { lock.withLock { requests } }

    func stop() {
        lock.withLock {
            isStopped = true
            openClients.forEach { $0.shutdown() }
        }
        listener.shutdown()
        listener.close()
    }

    private func acceptLoop() {
        while let client = listener.accept() {
            let keep = lock.withLock { () -> Bool in
                guard !isStopped else { return false }
                openClients.append(client)
                return true
            }
            guard keep else {
                client.close()
                return
            }
            Thread.detachNewThread { [self] in
                serve(client)
                lock.withLock { openClients.removeAll { $0 === client } }
                client.close()
            }
        }
    }

    private func serve(_ client: ScriptedSocket) {
        guard let request = ReceivedRequest.read(from: client) else { return }
        let (responder, hit) = lock.withLock { () -> (Responder?, Int) in
            requests.append(request)
            return (scripts[request.path], requests.filter { $0.path == request.path }.count)
        }
        let reply = responder?(request, hit) ?? .text("no script for \(request.path)", status: 404)
        if reply.delay > 0 { Thread.sleep(forTimeInterval: reply.delay) }
        var head = "HTTP/1.1 \(reply.status) Scripted\r\nConnection: close\r\n"
        head += "Content-Length: \(reply.body.count)\r\n"
        for (name, value) in reply.headers { head += "\(name): \(value)\r\n" }
        client.write(Array((head + "\r\n").utf8) + reply.body)
    }
}

/// One scripted answer.
struct ScriptedReply: Sendable {
    var status: Int = 200
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// Seconds to wait before answering.
    var delay: Double = 0

    static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> ScriptedReply {
        ScriptedReply(
            status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    static func text(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> ScriptedReply {
        ScriptedReply(
            status: status, headers: [("Content-Type", "text/plain")] + headers, body: Array(text.utf8))
    }

    static func status(_ status: Int, headers: [(String, String)] = []) -> ScriptedReply {
        ScriptedReply(status: status, headers: headers)
    }

    func delayed(_ seconds: Double) -> ScriptedReply {
        var copy = self
        copy.delay = seconds
        return copy
    }
}

/// A request as the server read it off the socket.
struct ReceivedRequest: Sendable {
    var method: String
    /// The request target as sent: path and query, still percent-encoded.
    var target: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }
    /// The raw query string (after `?`), still encoded.
    var query: String? { target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) } }
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The raw (encoded) value of query parameter `name`.
    func queryValue(_ name: String) -> String? {
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts[0] == name { return parts.count > 1 ? String(parts[1]) : "" }
        }
        return nil
    }

    /// Request line, headers and `Content-Length` body; nil when the peer sends no complete head.
    static func read(from client: ScriptedSocket) -> ReceivedRequest? {
        let headBytes = client.read(until: Array("\r\n\r\n".utf8))
        let lines = String(decoding: headBytes, as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        guard requestLine.count == 3 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((String(line[..<colon]), value))
        }
        var request = ReceivedRequest(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: [])
        let length = request.header("Content-Length").flatMap { Int($0) } ?? 0
        request.body = client.read(exactly: length)
        return request
    }
}
