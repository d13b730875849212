/// MQTT 3.1.1: `CONNECT` with a clean session, expect `CONNACK`, then `DISCONNECT`.
enum MQTTCheck {
    static func run(on connection: ProbeConnection, username: String?, password: String?) throws
        -> ProbeOutcome
    {
        try connection.send(connectPacket(username: username, password: password))
        let reply = try connection.receive(exactly: 4)
        guard reply[0] == 0x20, reply[1] == 0x02 else {
            throw OutboundError.protocolError("not an MQTT CONNACK (first bytes \(reply[0]) \(reply[1]))")
        }
        let code = Int(reply[3])
        try? connection.send([0xE0, 0x00])
        switch code {
        case 0:
            return ProbeOutcome(
                success: true, message: "MQTT CONNACK accepted the connection", details: ["return_code": "0"])
        case 4, 5:
            throw OutboundError.authRejected(
                code == 4 ? "MQTT: bad user name or password" : "MQTT: not authorised")
        case 1:
            throw OutboundError.protocolError("the MQTT broker does not speak protocol level 4 (3.1.1)")
        default:
            let reason =
                code == 2
                ? "client identifier rejected" : code == 3 ? "server unavailable" : "return code \(code)"
            return ProbeOutcome(
                success: false, message: "MQTT broker refused the connection: \(reason)",
                details: ["return_code": "\(code)"])
        }
    }

    static func connectPacket(username: String?, password: String?) -> [UInt8] {
        func string(_ text: String) -> [UInt8] {
            let bytes = Array(text.utf8)
            return [UInt8(bytes.count >> 8 & 0xff), UInt8(bytes.count & 0xff)] + bytes
        }
        var flags: UInt8 = 0x02
        if username != nil { flags |= 0x80 }
        if password != nil { flags |= 0x40 }
        var body = string("MQTT") + [4, flags, 0, 30]
        body += string("patchbay-probe")
        if let username { body += string(username) }
        if let password { body += string(password) }
        return [0x10] + remainingLength(body.count) + body
    }

    /// MQTT's variable-length integer: seven bits a byte, high bit set while more follow.
    static func remainingLength(_ value: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            var byte = UInt8(rest % 128)
            rest /= 128
            if rest > 0 { byte |= 0x80 }
            bytes.append(byte)
        } while rest > 0
        return bytes
    }
}
