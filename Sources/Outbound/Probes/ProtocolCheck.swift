/// What one protocol check concluded.
struct ProbeOutcome {
    var success: Bool
    var message: String
    var details: [String: String] = [:]
}

/// Dispatches a probe kind to its protocol check.
enum ProtocolCheck {
    static func run(_ kind: ProbeKind, on connection: ProbeConnection, host: String) throws -> ProbeOutcome {
        switch kind {
        case .tcp:
            return ProbeOutcome(success: true, message: "TCP connect only: port open")
        case .redis(_, _, true):
            return ProbeOutcome(success: true, message: "TCP connect only: Redis over TLS is not checked")
        case .redis(let username, let password, false):
            return try RedisCheck.run(on: connection, username: username, password: password)
        case .mysql:
            return try MySQLCheck.run(on: connection)
        case .amqp:
            return try AMQPCheck.run(on: connection)
        case .kafka:
            return try KafkaCheck.run(on: connection)
        case .smtp:
            return try GreetingCheck.run(on: connection, protocolName: "SMTP")
        case .ftp:
            return try GreetingCheck.run(on: connection, protocolName: "FTP")
        case .nats:
            return try NATSCheck.run(on: connection)
        case .mqtt(let username, let password):
            return try MQTTCheck.run(on: connection, username: username, password: password)
        }
    }
}

/// Server-sent text made safe to show: printable ASCII only, at most `limit` characters,
/// with any of `secrets` blanked out in case a server echoes what it was sent.
func serverText(_ text: some StringProtocol, limit: Int = 200, secrets: [String] = []) -> String {
    let printable = String(
        text.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7f ? Character($0) : " " })
    let trimmed = printable.trimmingWhitespace()
    let short = trimmed.count > limit ? String(trimmed.prefix(limit)) + "…" : trimmed
    return redactingSecrets(in: short, secrets: secrets)
}

func serverText(_ bytes: [UInt8], limit: Int = 200, secrets: [String] = []) -> String {
    serverText(String(decoding: bytes, as: UTF8.self), limit: limit, secrets: secrets)
}
