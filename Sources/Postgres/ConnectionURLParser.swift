/// Parses `postgresql://` URLs into a `PostgresConfiguration`, reporting problems without the password.
enum ConnectionURLParser {
    static func parse(_ url: String) throws -> PostgresConfiguration {
        let shown = redactForError(url)
        func fail(_ reason: String) -> PostgresError {
            PostgresError(.invalidConfiguration, "invalid database URL '\(shown)': \(reason)")
        }

        var rest = Substring(url)
        if let range = rest.firstRange(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            guard scheme == "postgresql" || scheme == "postgres" else {
                throw fail("scheme must be postgresql:// or postgres://")
            }
            rest = rest[range.upperBound...]
        } else {
            throw fail("expected postgresql://user:password@host:port/database")
        }

        var config = PostgresConfiguration()
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]

        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                config.user = try decode(userInfo[..<colon], fail)
                config.password = try decode(userInfo[userInfo.index(after: colon)...], fail)
            } else {
                config.user = try decode(userInfo, fail)
            }
            if config.user == "" { config.user = nil }
        }

        var hostPart = authority
        var portText: Substring?
        if hostPart.hasPrefix("[") {
            guard let close = hostPart.firstIndex(of: "]") else { throw fail("unterminated [IPv6] host") }
            let afterClose = hostPart.index(after: close)
            if afterClose < hostPart.endIndex {
                guard hostPart[afterClose] == ":" else { throw fail("unexpected text after [IPv6] host") }
                portText = hostPart[hostPart.index(after: afterClose)...]
            }
            hostPart = hostPart[hostPart.index(after: hostPart.startIndex)..<close]
        } else if let colon = hostPart.lastIndex(of: ":") {
            portText = hostPart[hostPart.index(after: colon)...]
            hostPart = hostPart[..<colon]
        }
        if !hostPart.isEmpty { config.host = try decode(hostPart, fail) }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw fail("port must be a number from 1 to 65535")
            }
            config.port = port
        }

        if rest.hasPrefix("/") {
            let pathEnd = rest.firstIndex(of: "?") ?? rest.endIndex
            let path = rest[rest.index(after: rest.startIndex)..<pathEnd]
            if !path.isEmpty { config.database = try decode(path, fail) }
            rest = rest[pathEnd...]
        }
        if rest.hasPrefix("?") {
            for pair in rest.dropFirst().split(separator: "&", omittingEmptySubsequences: true) {
                guard let equals = pair.firstIndex(of: "=") else {
                    throw fail("query parameter '\(pair)' has no value")
                }
                let key = try decode(pair[..<equals], fail)
                let value = try decode(pair[pair.index(after: equals)...], fail)
                guard !key.isEmpty else { throw fail("empty query parameter name") }
                try apply(key: key, value: value, to: &config, fail)
            }
        }
        return config
    }

    /// Query keys that map onto the configuration's own fields rather than staying free-form options.
    private static func apply(
        key: String, value: String, to config: inout PostgresConfiguration,
        _ fail: (String) -> PostgresError
    ) throws {
        switch key {
        case "host": config.host = value
        case "user": config.user = value
        case "password": config.password = value
        case "dbname": config.database = value
        case "port":
            guard let port = Int(value), (1...65535).contains(port) else {
                throw fail("port must be a number from 1 to 65535")
            }
            config.port = port
        default: config.options.append((key, value))
        }
    }

    private static func decode(_ text: Substring, _ fail: (String) -> PostgresError) throws -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue),
                    let low = iterator.next().flatMap(hexValue)
                else { throw fail("bad percent-encoding") }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw fail("percent-encoding is not UTF-8")
        }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Hides the password of a URL that may not even parse, for use in error messages.
    ///
    /// A malformed URL cannot be trusted to split where a valid one would (an unencoded `/` or `?`
    /// in the password, say), so everything from the first `:` after the scheme to the last `@` is
    /// hidden; that may hide more than the password, never less.
    static func redactForError(_ url: String) -> String {
        var text = url
        let schemeEnd = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        if let at = text.lastIndex(of: "@"), let colon = text[schemeEnd...].firstIndex(of: ":"), colon < at {
            text = String(text[...colon]) + "***" + text[at...]
        }
        guard let query = text.firstIndex(of: "?") else { return text }
        let pairs = text[text.index(after: query)...].split(separator: "&").map { pair in
            pair.lowercased().hasPrefix("password=") ? "password=***" : String(pair)
        }
        return String(text[...query]) + pairs.joined(separator: "&")
    }
}
