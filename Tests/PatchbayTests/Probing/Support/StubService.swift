import Foundation
import Glibc

/// A small HTTP/1.1 service on 127.0.0.1 playing the far side of connection tests; one request per
/// connection; a TLS handshake gets a plain-text answer.
///
/// Routes: `/status/N[/echoed]`; `/slow/MS` (200 after MS milliseconds); `/json/ok` (`{"ok": true}`);
/// `/json/not-ok` (Slack's way of failing: 200 with `{"ok": false, "error": "invalid_auth"}`);
/// `/text` (200, not JSON); `/v1/balance` (Stripe: 200 with `{"object": "balance",
/// "stripe_version": <the Stripe-Version header>}` for `Authorization: Bearer <goodKey>`, otherwise
/// 401 with a careless body that echoes the Authorization header back).
final class StubService: Sendable {
    static let goodKey = "sk_test_GoodKey0123456789"

    private let listener: LoopbackListener
    var port: Int { listener.port }
    /// Connections accepted so far: proves whether a refused test reached the server at all.
    var connectionCount: Int { listener.connectionCount }

    init() throws {
        listener = try LoopbackListener { fd in Self.serve(fd) }
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    func stop() { listener.stop() }

    private static func serve(_ fd: Int32) {
        let first = SocketIO.read(fd, exactly: 1)
        if first == [0x16] {
            // A TLS ClientHello on this plain port: answer in plain text, as a misconfigured server would.
            respond(fd, status: 400, body: "plain HTTP port")
            return
        }
        let rest = SocketIO.read(fd, until: Array("\r\n\r\n".utf8))
        let head = String(decoding: first + rest, as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2 {
                headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        _ = SocketIO.read(fd, exactly: Int(headers["content-length"] ?? "") ?? 0)
        let path = String(parts[1])
        let segments = path.split(separator: "/").map(String.init)
        switch (segments.first ?? "", segments.dropFirst().joined(separator: "/")) {
        case ("status", let rest):
            // `/status/404/anything`: the rest is echoed, as careless servers echo what they got.
            let code = Int(rest.split(separator: "/").first ?? "") ?? 500
            respond(fd, status: code, body: "status \(rest)")
        case ("slow", let millis):
            usleep(UInt32((Int(millis) ?? 0) * 1000))
            respond(fd, status: 200, body: "slow")
        case ("json", "ok"):
            respond(fd, status: 200, body: #"{"ok": true}"#, json: true)
        case ("json", "not-ok"):
            respond(fd, status: 200, body: #"{"ok": false, "error": "invalid_auth"}"#, json: true)
        case ("text", _):
            respond(fd, status: 200, body: "plain words")
        case ("v1", "balance"):
            let authorization = headers["authorization"] ?? ""
            guard authorization == "Bearer \(goodKey)" else {
                respond(fd, status: 401, body: "invalid api key: \(authorization)")
                return
            }
            let version = headers["stripe-version"] ?? ""
            respond(
                fd, status: 200, body: #"{"object": "balance", "stripe_version": "\#(version)"}"#, json: true)
        default:
            respond(fd, status: 404, body: "no route")
        }
    }

    private static func respond(_ fd: Int32, status: Int, body: String, json: Bool = false) {
        let type = json ? "application/json" : "text/plain"
        let bytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(status) Stub\r\nConnection: close\r\nContent-Type: \(type)\r\n"
            + "Content-Length: \(bytes.count)\r\n\r\n"
        SocketIO.write(fd, Array(head.utf8) + bytes)
    }
}
