/// Kafka: an `ApiVersions` v0 request, whose response every broker version understands.
enum KafkaCheck {
    static let correlationID = 0x5042_0001

    static func run(on connection: ProbeConnection) throws -> ProbeOutcome {
        try connection.send(request())
        var prefix = ByteReader(try connection.receive(exactly: 4), what: "the length prefix")
        let size = try prefix.uint(4)
        guard size >= 10, size < 1 << 20 else {
            throw OutboundError.protocolError("not a Kafka response (size \(size))")
        }
        var reader = ByteReader(try connection.receive(exactly: size), what: "the ApiVersions response")
        let correlation = try reader.uint(4)
        guard correlation == correlationID else {
            throw OutboundError.protocolError("not a Kafka response (correlation id \(correlation))")
        }
        let errorCode = try reader.uint(2)
        let count = try reader.uint(4)
        guard count <= 10_000, count * 6 <= reader.remaining else {
            throw OutboundError.protocolError("malformed ApiVersions response (\(count) entries)")
        }
        let details = ["api_count": "\(count)", "error_code": "\(errorCode)"]
        guard errorCode == 0 else {
            return ProbeOutcome(
                success: false, message: "Kafka answered ApiVersions with error \(errorCode)",
                details: details)
        }
        return ProbeOutcome(
            success: true, message: "Kafka ApiVersions answered (\(count) APIs)", details: details)
    }

    /// Size, then api key 18, version 0, correlation id, client id.
    static func request() -> [UInt8] {
        let clientID = Array("patchbay-probe".utf8)
        var body: [UInt8] = [0, 18, 0, 0]
        body += bigEndian(correlationID, width: 4)
        body += bigEndian(clientID.count, width: 2) + clientID
        return bigEndian(body.count, width: 4) + body
    }

    static func bigEndian(_ value: Int, width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
