/// AMQP 0-9-1: send the protocol header, expect a `Connection.Start` method frame.
enum AMQPCheck {
    static let header: [UInt8] = Array("AMQP".utf8) + [0, 0, 9, 1]

    static func run(on connection: ProbeConnection) throws -> ProbeOutcome {
        try connection.send(header)
        let frameHeader = try connection.receive(exactly: 7)
        if Array(frameHeader[0..<4]) == Array("AMQP".utf8) {
            // The server answers an unsupported version with the header of one it speaks, then closes.
            let version = Array(frameHeader[5..<7]) + (try connection.receive(exactly: 1))
            throw OutboundError.protocolError(
                "the server speaks AMQP \(version.map(String.init).joined(separator: "-")), not 0-9-1")
        }
        var reader = ByteReader(Array(frameHeader), what: "the AMQP frame")
        let type = try reader.uint(1)
        let channel = try reader.uint(2)
        let size = try reader.uint(4)
        guard type == 1, channel == 0, size >= 4, size < 1 << 20 else {
            throw OutboundError.protocolError(
                "not an AMQP method frame (type \(type), channel \(channel), size \(size))")
        }
        let frame = try connection.receive(exactly: size + 1)
        guard frame[size] == 0xCE else {
            throw OutboundError.protocolError("the AMQP frame has no end marker")
        }
        var payload = ByteReader(Array(frame[0..<size]), what: "Connection.Start")
        let classID = try payload.uint(2)
        let methodID = try payload.uint(2)
        guard classID == 10, methodID == 10 else {
            throw OutboundError.protocolError("expected Connection.Start, got method \(classID).\(methodID)")
        }
        let major = try payload.uint(1)
        let minor = try payload.uint(1)
        var details = ["amqp_version": "\(major)-\(minor)"]
        // Server properties are informative only: a table this reader cannot walk is no failure.
        if let properties = try? serverProperties(&payload) {
            details["product"] = properties["product"]
            details["version"] = properties["version"]
        }
        let product = [details["product"], details["version"]].compactMap { $0 }.joined(separator: " ")
        let suffix = product.isEmpty ? "" : " (\(product))"
        return ProbeOutcome(
            success: true, message: "AMQP Connection.Start received\(suffix)", details: details)
    }

    /// The long-string entries of the server-properties field table.
    private static func serverProperties(_ reader: inout ByteReader) throws -> [String: String] {
        let length = try reader.uint(4)
        var table = ByteReader(Array(try reader.take(length)), what: "the server properties")
        var result: [String: String] = [:]
        while table.remaining > 0 {
            let name = String(decoding: try table.take(try table.uint(1)), as: UTF8.self)
            let type = UInt8(try table.uint(1))
            switch type {
            case UInt8(ascii: "S"), UInt8(ascii: "x"):
                result[name] = serverText(Array(try table.take(try table.uint(4))), limit: 80)
            case UInt8(ascii: "F"), UInt8(ascii: "A"):
                _ = try table.take(try table.uint(4))
            default:
                guard let width = fixedWidths[type] else { return result }
                _ = try table.take(width)
            }
        }
        return result
    }

    /// Value sizes of the fixed-width field types (RabbitMQ's reading of the 0-9-1 errata).
    private static let fixedWidths: [UInt8: Int] = [
        UInt8(ascii: "t"): 1, UInt8(ascii: "b"): 1, UInt8(ascii: "B"): 1, UInt8(ascii: "s"): 2,
        UInt8(ascii: "u"): 2, UInt8(ascii: "I"): 4, UInt8(ascii: "i"): 4, UInt8(ascii: "l"): 8,
        UInt8(ascii: "f"): 4, UInt8(ascii: "d"): 8, UInt8(ascii: "D"): 5, UInt8(ascii: "T"): 8,
        UInt8(ascii: "V"): 0,
    ]
}
