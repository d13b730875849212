import Foundation

/// Servers that speak just enough of each protocol for the probes, on 127.0.0.1.
enum FakeServers {
    static func mysql(payload: [UInt8]) throws -> TestServer {
        try TestServer { client in
            let length = payload.count
            client.write([UInt8(length & 0xff), UInt8(length >> 8 & 0xff), UInt8(length >> 16), 0] + payload)
            _ = client.read()
        }
    }

    static func mysqlHandshake(version: String) -> [UInt8] {
        [10] + Array(version.utf8) + [0] + [42, 0, 0, 0] + Array("saltsalt".utf8) + [0, 0xff, 0xf7, 33, 2, 0]
            + [UInt8](repeating: 0, count: 13)
    }

    static func mysqlError(code: Int, state: String?, message: String) -> [UInt8] {
        [0xff, UInt8(code & 0xff), UInt8(code >> 8)] + (state.map { Array("#\($0)".utf8) } ?? [])
            + Array(message.utf8)
    }

    /// Checks the 0-9-1 header, then sends Connection.Start with a table holding several field types.
    static func amqp() throws -> TestServer {
        try TestServer { client in
            guard client.read(exactly: 8) == Array("AMQP".utf8) + [0, 0, 9, 1] else {
                client.write(Array("AMQP".utf8) + [0, 0, 9, 1])
                return
            }
            var table: [UInt8] = []
            table +=
                shortString("capabilities") + [UInt8(ascii: "F")]
                + long(shortString("x") + [UInt8(ascii: "t"), 1])
            table += shortString("product") + [UInt8(ascii: "S")] + long(Array("RabbitMQ".utf8))
            table += shortString("cluster_size") + [UInt8(ascii: "I"), 0, 0, 0, 3]
            table += shortString("version") + [UInt8(ascii: "S")] + long(Array("3.13.0".utf8))
            var payload: [UInt8] = [0, 10, 0, 10, 0, 9] + long(table)
            payload += long(Array("PLAIN AMQPLAIN".utf8)) + long(Array("en_US".utf8))
            client.write([1, 0, 0] + be32(payload.count) + payload + [0xCE])
            _ = client.read()
        }
    }

    /// Answers with the header of AMQP 1.0, as a 1.0-only broker does.
    static func amqpOneOnly() throws -> TestServer {
        try TestServer { client in
            _ = client.read(exactly: 8)
            client.write(Array("AMQP".utf8) + [0, 1, 0, 0])
        }
    }

    /// Parses the ApiVersions v0 request and answers with three API ranges.
    static func kafka() throws -> TestServer {
        try TestServer { client in
            let size = client.read(exactly: 4).reduce(0) { $0 << 8 | Int($1) }
            let request = client.read(exactly: size)
            guard request.count >= 8, request[0..<4] == [0, 18, 0, 0] else { return }
            var body = Array(request[4..<8]) + [0, 0] + be32(3)
            for key in [0, 1, 18] { body += [0, UInt8(key), 0, 0, 0, 3] }
            client.write(be32(body.count) + body)
            _ = client.read()
        }
    }

    /// Writes `greeting` and then waits for the client to go away.
    static func greeting(_ greeting: String) throws -> TestServer {
        try TestServer { client in
            client.write(greeting)
            _ = client.read(until: Array("\r\n".utf8))
        }
    }

    /// Accepts CONNECT; answers 0, or 5 (not authorised) unless the password matches.
    static func mqtt(password: String?) throws -> TestServer {
        try TestServer { client in
            let header = client.read(exactly: 2)
            guard header.first == 0x10, header.count == 2 else { return }
            let body = client.read(exactly: Int(header[1]))
            let sentPassword = body.count > 2 && body[7] & 0x40 != 0
            let accepted = password == nil || (sentPassword && body.ends(with: Array(password!.utf8)))
            client.write([0x20, 0x02, 0x00, accepted ? 0 : 5])
            _ = client.read()
        }
    }

    private static func shortString(_ text: String) -> [UInt8] { [UInt8(text.utf8.count)] + Array(text.utf8) }
    private static func long(_ bytes: [UInt8]) -> [UInt8] { be32(bytes.count) + bytes }
    static func be32(_ value: Int) -> [UInt8] {
        (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
