/// MySQL and MariaDB: the server speaks first with an initial handshake packet.
enum MySQLCheck {
    static func run(on connection: ProbeConnection) throws -> ProbeOutcome {
        let header = try connection.receive(exactly: 4)
        let length = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16
        guard length > 0, length < 65_536, header[3] == 0 else {
            throw OutboundError.protocolError(
                "not a MySQL handshake (packet length \(length), sequence \(header[3]))")
        }
        let payload = try connection.receive(exactly: length)
        switch payload[0] {
        case 10, 9:
            let version = serverText(payload[1...].prefix { $0 != 0 }.map { $0 })
            var details = ["version": version, "protocol": "\(payload[0])"]
            let idStart = 1 + version.utf8.count + 1
            if payload.count >= idStart + 4 {
                let id = payload[idStart..<idStart + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
                details["connection_id"] = "\(id)"
            }
            return ProbeOutcome(
                success: true, message: "MySQL handshake received (server \(version))", details: details)
        case 0xff where payload.count >= 3:
            let code = Int(payload[1]) | Int(payload[2]) << 8
            // A SQL state marker ('#' and five characters) may precede the text.
            let textStart = payload.count > 9 && payload[3] == 0x23 ? 9 : 3
            let message = serverText(Array(payload[textStart...]))
            if code == 1130 || code == 1045 {
                throw OutboundError.authRejected("MySQL error \(code): \(message)")
            }
            return ProbeOutcome(
                success: false, message: "MySQL answered with error \(code): \(message)",
                details: ["error_code": "\(code)"])
        default:
            throw OutboundError.protocolError("not a MySQL handshake (protocol byte \(payload[0]))")
        }
    }
}
