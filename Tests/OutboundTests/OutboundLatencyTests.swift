import Foundation
import XCTest

@testable import Outbound

/// The cost of the outbound leg: sequential POSTs through `send` to a local keep-alive server.
/// Runs only with `PATCHBAY_OUTBOUND_BENCH=1` (it takes a few seconds) and prints the percentiles.
final class OutboundLatencyTests: XCTestCase {
    func testSequentialPostsReuseOneConnection() async throws {
        let count = 2_000
        guard ProcessInfo.processInfo.environment["PATCHBAY_OUTBOUND_BENCH"] == "1" else {
            throw XCTSkip("set PATCHBAY_OUTBOUND_BENCH=1 to measure")
        }
        let server = try TestServer(handle: Self.answerEveryRequest)
        defer { server.stop() }
        let client = OutboundHTTPClient(
            policy: try OutboundPolicy(allowList: "127.0.0.1"), transfers: TransferThreads(maximumThreads: 4))
        let request = OutboundHTTPRequest(
            method: "POST", url: "http://127.0.0.1:\(server.port)/hook",
            headers: ["Content-Type": "application/json", "Authorization": "Bearer not-a-secret"],
            body: Array(#"{"message":"hello","n":1}"#.utf8))
        var samples: [Duration] = []
        for round in 0..<(count + 100) {
            let started = ContinuousClock.now
            let response = try await client.send(request)
            if round >= 100 { samples.append(ContinuousClock.now - started) }
            XCTAssertEqual(response.status, 200)
        }
        samples.sort()
        XCTAssertEqual(server.connectionCount, 1)
        let micros = { (index: Int) in samples[index] / .microseconds(1) }
        print(
            "outbound send, \(count) sequential POSTs: p50 \(Int(micros(count / 2))) µs,",
            "p90 \(Int(micros(count * 9 / 10))) µs, p99 \(Int(micros(count * 99 / 100))) µs")
    }

    /// Answers each request on the connection with a short 200, reading in blocks: the fake
    /// server of the other tests reads byte by byte, which would be most of what is measured.
    @Sendable static func answerEveryRequest(_ client: TestSocket) {
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n{\"ok\":true}".utf8)
        let marker = Array("\r\n\r\n".utf8)
        var pending: [UInt8] = []
        while true {
            guard let end = pending.firstRange(of: marker)?.upperBound else {
                let chunk = client.read()
                if chunk.isEmpty { return }
                pending += chunk
                continue
            }
            let head = String(decoding: pending[..<end], as: UTF8.self).lowercased()
            let length =
                head.components(separatedBy: "\r\n").lazy.compactMap { line -> Int? in
                    guard line.hasPrefix("content-length:") else { return nil }
                    return Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces))
                }.first ?? 0
            while pending.count < end + length {
                let chunk = client.read()
                if chunk.isEmpty { return }
                pending += chunk
            }
            pending.removeFirst(end + length)
            guard client.write(response) else { return }
        }
    }
}
