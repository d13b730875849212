import Foundation
import JSON
import Logging
import Outbound
import Patchbay
import Synchronization
import TestSupport
import XCTest

/// Seed manifests (optionally edited), testers under a chosen policy, and a network recorder.
enum ProbeFixtures {
    /// A credential no result may ever contain.
    static let sentinel = "Sentinel-Secret-7f3c9a1e"

    static func seed(_ key: String) throws -> JSON {
        let path = ProjectPaths(root: ProjectRoot.path).seeds + "/\(key).json"
        return try JSON(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The seed `key`, with `edits` applied (path → new value, nil removes), validated like any
    /// catalog manifest so the tests only use manifests the catalog would accept.
    static func manifest(_ key: String, _ edits: [([String], JSON?)] = []) throws -> ConnectorManifest {
        var json = try seed(key)
        for (path, value) in edits { json = setting(json, path[...], to: value) }
        let validator = try ManifestValidator(
            manifestSchemaPath: ProjectPaths(root: ProjectRoot.path).manifestSchema)
        return try validator.manifest(from: json)
    }

    private static func setting(_ json: JSON, _ path: ArraySlice<String>, to value: JSON?) -> JSON {
        guard let key = path.first else { return value ?? .null }
        var object = json.object ?? [:]
        if path.count == 1 {
            object[key] = value
        } else {
            object[key] = setting(object[key] ?? .object([:]), path.dropFirst(), to: value)
        }
        return .object(object)
    }

    /// A tester whose client, prober and policy allow 127.0.0.1 unless `allowLoopback` is false.
    static func tester(allowLoopback: Bool = true, network: OutboundNetwork = .live) -> ConnectionTester {
        let policy =
            allowLoopback ? OutboundPolicy(allowList: [.network(IPNetwork("127.0.0.1")!)]) : OutboundPolicy()
        var logger = Logger(label: "test.probing")
        logger.logLevel = .warning
        return ConnectionTester(
            client: OutboundHTTPClient(policy: policy, network: network, logger: logger),
            prober: OutboundProber(policy: policy, network: network, logger: logger), policy: policy,
            logger: logger)
    }

    /// Fails the test if `result` carries `secret` anywhere a person or a log could see it.
    static func assertNoSecret(
        _ secret: String, in result: ConnectionTestResult, file: StaticString = #filePath, line: UInt = #line
    ) {
        let shown =
            result.message + " " + result.details.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            + " " + result.json.serializedString()
        XCTAssertFalse(
            shown.contains(secret), "the result shows the secret: \(shown)", file: file, line: line)
    }
}

/// Records every lookup and connection attempt made through an `OutboundNetwork`, and can answer
/// chosen names itself: the first lookup of a name gets `first`, later ones `later` (rebinding).
final class RecordingNetwork: Sendable {
    private struct State {
        var lookups: [String] = []
        var connects: [String] = []
    }

    private let state = Mutex(State())
    private let answers: [String: (first: [IPAddress], later: [IPAddress])]

    init(answers: [String: (first: [IPAddress], later: [IPAddress])] = [:]) { self.answers = answers }

    var lookups: [String] { state.withLock { $0.lookups } }
    /// Each attempt as `address port`.
    var connects: [String] { state.withLock { $0.connects } }

    var network: OutboundNetwork {
        OutboundNetwork(
            resolve: { host in
                let seen = self.state.withLock { state in
                    defer { state.lookups.append(host) }
                    return state.lookups.contains(host)
                }
                if let answer = self.answers[host] { return seen ? answer.later : answer.first }
                return try OutboundNetwork.live.resolve(host)
            },
            willConnect: { address, port in
                self.state.withLock { $0.connects.append("\(address) \(port)") }
            })
    }
}
