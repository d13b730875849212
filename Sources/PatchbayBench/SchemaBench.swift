import JSON
import JSONSchema

/// A typical connector config schema: 15 fields with formats, a pattern, bounds, an enum, a boolean,
/// a nested object and an array.
private let benchSchema = #"""
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "required": ["name", "host", "port", "database", "username", "password"],
      "additionalProperties": false,
      "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[a-z][a-z0-9_-]*$"},
        "host": {"type": "string", "format": "hostname"},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "database": {"type": "string", "minLength": 1, "maxLength": 63},
        "username": {"type": "string", "minLength": 1},
        "password": {"type": "string", "minLength": 8, "writeOnly": true},
        "ssl_mode": {"type": "string", "enum": ["disable", "require", "verify-ca", "verify-full"]},
        "use_ssh_tunnel": {"type": "boolean"},
        "timeout_seconds": {"type": "integer", "minimum": 1, "maximum": 3600},
        "batch_size": {"type": "integer", "minimum": 100, "multipleOf": 100},
        "admin_email": {"type": "string", "format": "email"},
        "webhook_url": {"type": "string", "format": "uri"},
        "start_date": {"type": "string", "format": "date-time"},
        "schemas": {
          "type": "array", "items": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
          "uniqueItems": true, "maxItems": 20
        },
        "tunnel": {
          "type": "object",
          "required": ["host", "port"],
          "properties": {
            "host": {"type": "string", "format": "hostname"},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            "user": {"type": "string"}
          }
        }
      }
    }
    """#

private let benchConfig: JSON = [
    "name": "orders-db", "host": "db.internal.example.com", "port": 5432, "database": "orders",
    "username": "reporter", "password": "correct horse battery", "ssl_mode": "verify-full",
    "use_ssh_tunnel": true, "timeout_seconds": 30, "batch_size": 1000, "admin_email": "ops@example.com",
    "webhook_url": "https://hooks.example.com/patchbay/orders?token=abc",
    "start_date": "2024-01-31T09:30:00Z", "schemas": ["public", "sales", "audit_log"],
    "tunnel": ["host": "bastion.example.com", "port": 22, "user": "tunnel"],
]

/// About 2 KB of configuration-like JSON, for parse timing.
private func makeDocument() -> String {
    var connectors: [JSON] = []
    for index in 0..<6 {
        connectors.append([
            "id": .string("c0a8012e-7d4f-4b6a-9f0e-\(100_000_000_000 + index)"),
            "name": .string("Connector \(index)"),
            "enabled": .bool(index % 2 == 0), "port": .int(Int64(5000 + index)),
            "ratio": .double(0.25 * Double(index)),
            "tags": ["prod", "eu-west-1", "team:data"],
            "headers": [["key": "Accept", "value": "application/json"]],
            "note": "Escapes: \"quoted\" and \\ and é",
        ])
    }
    return JSON.object(["version": 3, "connectors": .array(connectors)]).serializedString(
        options: .prettyPrinted)
}

/// Runs `body` in 15 batches of `iterations` and returns the best batch's mean, in microseconds: on a
/// shared machine the fastest batch is the one least disturbed by other work.
private func bestMean(iterations: Int, _ body: () -> Void) -> String {
    let clock = ContinuousClock()
    var best = Double.infinity
    for _ in 0..<15 {
        let elapsed = clock.measure {
            for _ in 0..<iterations { body() }
        }
        let (seconds, attoseconds) = elapsed.components
        best = min(best, (Double(seconds) * 1e6 + Double(attoseconds) / 1e12) / Double(iterations))
    }
    return "\((best * 100).rounded() / 100) µs"
}

func runSchemaBench() {
    let schema: Schema
    do {
        schema = try Schema(parsing: benchSchema)
    } catch {
        print("schema: benchmark schema rejected: \(error)")
        return
    }
    guard schema.isValid(benchConfig) else {
        print("schema: benchmark config unexpectedly invalid: \(schema.validate(benchConfig).errors)")
        return
    }
    var sink = 0
    let full = bestMean(iterations: 20_000) { sink &+= schema.validate(benchConfig).errors.count }
    let quick = bestMean(iterations: 20_000) { sink &+= schema.isValid(benchConfig) ? 1 : 0 }
    print("schema: validate() of a 15-field connector config: \(full) per validation (best of 15 runs)")
    print("schema: isValid() of the same config: \(quick) per validation")

    let pretty = Array(makeDocument().utf8)
    let parsed = (try? JSON(parsing: pretty)) ?? .null
    let compact = parsed.serialized()
    let parsePretty = bestMean(iterations: 20_000) {
        sink &+= (try? JSON(parsing: pretty))?.object?.count ?? 0
    }
    let parseCompact = bestMean(iterations: 20_000) {
        sink &+= (try? JSON(parsing: compact))?.object?.count ?? 0
    }
    let serialize = bestMean(iterations: 20_000) { sink &+= parsed.serialized().count }
    print("json: parse of a \(pretty.count)-byte pretty-printed document: \(parsePretty) per parse")
    print("json: parse of the same, compact (\(compact.count) bytes): \(parseCompact) per parse")
    print("json: compact serialization of it: \(serialize)")
    if sink == 42 { print("") }  // keeps the work observable
}
