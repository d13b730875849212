/// SMTP and FTP: the server speaks first with a (possibly multi-line) `220` greeting.
enum GreetingCheck {
    static func run(on connection: ProbeConnection, protocolName: String) throws -> ProbeOutcome {
        var lines: [String] = []
        while true {
            let line = try connection.receiveLine(limit: 4096)
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, bytes[0..<3].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                bytes.count == 3 || bytes[3] == 0x20 || bytes[3] == 0x2d
            else {
                throw OutboundError.protocolError(
                    "not a \(protocolName) greeting: '\(serverText(line, limit: 60))'")
            }
            lines.append(line)
            // "220-" continues a multi-line reply; FTP may also send "120 ready in n minutes" first.
            if bytes.count > 3, bytes[3] == 0x2d { continue }
            if line.hasPrefix("120") { continue }
            break
        }
        // Politeness only: a server that ignores QUIT is no failure.
        try? connection.send("QUIT\r\n")
        let last = lines[lines.count - 1]
        let code = String(last.prefix(3))
        let banner = serverText(lines[0].dropFirst(4))
        guard code == "220" else {
            return ProbeOutcome(
                success: false, message: "\(protocolName) server refused service: \(serverText(last))",
                details: ["code": code])
        }
        return ProbeOutcome(
            success: true, message: "\(protocolName) greeting received (220 \(banner))",
            details: ["code": code, "banner": banner])
    }
}
