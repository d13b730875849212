/// NATS: the server speaks first with `INFO {json}`.
enum NATSCheck {
    static func run(on connection: ProbeConnection) throws -> ProbeOutcome {
        let line = try connection.receiveLine(limit: 65_536)
        guard line.hasPrefix("INFO "), line.contains("{") else {
            throw OutboundError.protocolError("not a NATS INFO line: '\(serverText(line, limit: 60))'")
        }
        let json = Substring(line.dropFirst(5))
        var details: [String: String] = [:]
        for key in ["version", "server_id", "server_name"] {
            if let value = stringField(key, in: json) { details[key] = serverText(value, limit: 80) }
        }
        if json.contains("\"auth_required\":true") { details["auth_required"] = "true" }
        let version = details["version"].map { " (server \($0))" } ?? ""
        return ProbeOutcome(success: true, message: "NATS INFO received\(version)", details: details)
    }

    /// The value of a flat `"key":"value"` string member; enough for INFO's simple strings.
    static func stringField(_ key: String, in json: Substring) -> Substring? {
        guard let keyRange = json.firstRange(of: "\"\(key)\"") else { return nil }
        var rest = json[keyRange.upperBound...].drop { $0 == " " }
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " }
        guard rest.first == "\"" else { return nil }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return rest[..<end]
    }
}
