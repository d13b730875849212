import JSON
import Patchbay
import XCTest

/// Guards against pathological slowness (a render that reparses, a quadratic escape) rather than
/// measuring precisely: the bounds are generous even for debug builds on a busy machine.
final class RequestSpeedTests: XCTestCase {
    func testCompileOnceRenderManyIsFast() throws {
        let manifestRequest: JSON = [
            "method": "POST", "url": "{{{config.base}}}/v1/users/{{input.id}}/messages",
            "query": ["expand": "data", "cursor": "{{input.cursor}}"],
            "headers": ["Authorization": "Bearer {{auth.token}}", "X-Trace": "{{input.trace}}"],
            "body": [
                "text": "Hello {{input.name}}, you have {{input.count}} new items",
                "count": "{{input.count}}",
                "channel": "{{input.channel}}{{^input.channel}}{{config.channel}}{{/input.channel}}",
                "meta": ["tags": "{{input.tags}}", "absent": "{{input.absent}}"],
            ],
        ]
        let scopes: JSONObject = [
            "config": ["base": "https://api.example.com", "channel": "general"],
            "auth": ["token": "t0k3n"],
            "input": ["id": "u/1", "name": "Ada \"L\"", "count": 3, "tags": ["a", "b"], "trace": "abc"],
        ]
        let iterations = 500
        let clock = ContinuousClock()
        var spec: RequestSpec?
        let compile = try clock.measure {
            for _ in 0..<iterations { spec = try RequestSpec(manifest: manifestRequest) }
        }
        let compiled = try XCTUnwrap(spec)
        var bytes = 0
        let render = try clock.measure {
            for _ in 0..<iterations { bytes += try compiled.prepare(scopes).body.count }
        }
        XCTAssertGreaterThan(bytes, 0)
        print("compile: \(compile / iterations) per request, prepare: \(render / iterations) per request")
        // About 0.2 ms each in a debug build on a loaded 2-core machine; 50 times that is a defect.
        XCTAssertLessThan(compile / iterations, .milliseconds(10))
        XCTAssertLessThan(render / iterations, .milliseconds(10))
    }
}
