import Foundation
import XCTest

@testable import Outbound

/// Records every lookup and connection attempt made through an `OutboundNetwork`.
final class NetworkRecorder: @unchecked Sendable {  // state guarded by `lock`
    private let lock = NSLock()
    private var lookupLog: [String] = []
    private var connectLog: [String] = []
    private var answers: [String: [IPAddress]]

    init(fakeAnswers: [String: [IPAddress]] = [:]) { answers = fakeAnswers }

    /// Host names answered without DNS; others go to the system resolver. A test may change them
    /// between requests, as a DNS record changes.
    var fakeAnswers: [String: [IPAddress]] {
        get { lock.withLock { answers } }
        set { lock.withLock { answers = newValue } }
    }

    var lookups: [String] { lock.withLock { lookupLog } }
    /// Each attempt as `address port`.
    var connects: [String] { lock.withLock { connectLog } }

    var network: OutboundNetwork {
        OutboundNetwork(
            resolve: { [self] host in
                lock.withLock { lookupLog.append(host) }
                if let answer = fakeAnswers[host] { return answer }
                return try OutboundNetwork.live.resolve(host)
            },
            willConnect: { [self] address, port in
                lock.withLock { connectLog.append("\(address) \(port)") }
            })
    }
}

/// Runs `body` and returns the `OutboundError` it throws; fails the test if it throws nothing else.
func outboundError<T>(
    _ body: () async throws -> T, file: StaticString = #filePath, line: UInt = #line
) async -> OutboundError? {
    do {
        let value = try await body()
        XCTFail("expected an error, got \(value)", file: file, line: line)
    } catch let error as OutboundError {
        return error
    } catch {
        XCTFail("expected an OutboundError, got \(error)", file: file, line: line)
    }
    return nil
}
