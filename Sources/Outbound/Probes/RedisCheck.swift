/// Redis over RESP: optional `AUTH`, then `PING`.
enum RedisCheck {
    static func run(on connection: ProbeConnection, username: String?, password: String?) throws
        -> ProbeOutcome
    {
        let secrets = [username, password].compactMap { $0 }
        if let password {
            try connection.send(command(["AUTH"] + (username.map { [$0] } ?? []) + [password]))
            let reply = try readReply(connection, secrets: secrets)
            guard reply == "+OK" else {
                throw OutboundError.authRejected(
                    "Redis refused AUTH: \(serverText(reply.dropFirst(), secrets: secrets))")
            }
        }
        try connection.send(command(["PING"]))
        let reply = try readReply(connection, secrets: secrets)
        guard reply == "+PONG" else {
            throw OutboundError.protocolError(
                "Redis answered PING with '\(serverText(reply, secrets: secrets))'")
        }
        let how = password == nil ? "without credentials" : "after AUTH"
        return ProbeOutcome(success: true, message: "Redis PING answered (PONG) \(how)")
    }

    /// A RESP array of bulk strings.
    static func command(_ parts: [String]) -> [UInt8] {
        var bytes = Array("*\(parts.count)\r\n".utf8)
        for part in parts {
            bytes += Array("$\(part.utf8.count)\r\n".utf8) + Array(part.utf8) + [13, 10]
        }
        return bytes
    }

    /// One reply line; error replies that mean "who are you?" become `authRejected`.
    private static func readReply(_ connection: ProbeConnection, secrets: [String]) throws -> String {
        let line = try connection.receiveLine()
        guard let kind = line.first, "+-:$*_%~>#,(!=|".contains(kind) else {
            throw OutboundError.protocolError(
                "not a Redis reply: '\(serverText(line, limit: 60, secrets: secrets))'")
        }
        for prefix in ["-NOAUTH", "-WRONGPASS", "-DENIED"] where line.hasPrefix(prefix) {
            throw OutboundError.authRejected("Redis: \(serverText(line.dropFirst(), secrets: secrets))")
        }
        return line
    }
}
