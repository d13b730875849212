/// Where and how to connect: parsed from a `postgresql://` URL, handed to libpq as keyword/value pairs.
///
/// Accepted form: `postgres[ql]://[user[:password]@][host][:port][/database][?key=value&...]`.
/// Query parameters are libpq connection keywords (`sslmode`, `connect_timeout`, `application_name`,
/// ...); `host=/path/to/dir` selects a unix-socket directory. The password is kept out of every
/// description and error message: use `redactedURL` to print the configuration.
public struct PostgresConfiguration: Sendable {
    /// Host name, IP address or unix-socket directory; nil lets libpq pick its default socket.
    public var host: String?
    /// TCP port (also names the unix socket file); nil means libpq's default (5432).
    public var port: Int?
    /// Role to log in as; nil means libpq's default (the OS user).
    public var user: String?
    /// Password; never printed.
    public var password: String?
    /// Database name; nil means libpq's default (the user name).
    public var database: String?
    /// Further libpq keywords from the URL's query string, in order.
    public var options: [(key: String, value: String)]

    /// Seconds libpq may spend connecting when the URL does not say (`connect_timeout`).
    public static let defaultConnectTimeout = 10

    /// Parses a connection URL; throws `PostgresError` of kind `.invalidConfiguration` when malformed.
    public init(url: String) throws {
        self = try ConnectionURLParser.parse(url)
    }

    /// Creates a configuration from its parts.
    public init(
        host: String? = nil, port: Int? = nil, user: String? = nil, password: String? = nil,
        database: String? = nil, options: [(key: String, value: String)] = []
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.options = options
    }

    /// The configuration as a URL with every password replaced by `***`, safe to log.
    public var redactedURL: String {
        var text = "postgresql://"
        if let user {
            text += percentEncode(user)
            if password != nil { text += ":***" }
            text += "@"
        }
        if let host, !host.hasPrefix("/") {
            text += host.contains(":") ? "[\(host)]" : host
        }
        if let port { text += ":\(port)" }
        if let database { text += "/" + percentEncode(database) }
        var query: [String] = []
        if let host, host.hasPrefix("/") { query.append("host=" + percentEncode(host)) }
        for (key, value) in options {
            query.append("\(key)=" + (key == "password" ? "***" : percentEncode(value)))
        }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// Keyword/value pairs for `PQconnectdbParams`; later pairs override earlier ones there.
    var libpqParameters: [(String, String)] {
        var pairs: [(String, String)] = [("client_encoding", "UTF8")]
        // Defaults the URL may override: bounded connection attempts, and TCP keepalives so that a
        // peer that vanished without a FIN is noticed in about a minute rather than hours.
        let defaults = [
            ("connect_timeout", String(Self.defaultConnectTimeout)), ("keepalives_idle", "30"),
            ("keepalives_interval", "10"), ("keepalives_count", "3"),
        ]
        for (key, value) in defaults where !options.contains(where: { $0.key == key }) {
            pairs.append((key, value))
        }
        if let host { pairs.append(("host", host)) }
        if let port { pairs.append(("port", String(port))) }
        if let user { pairs.append(("user", user)) }
        if let password { pairs.append(("password", password)) }
        if let database { pairs.append(("dbname", database)) }
        for (key, value) in options where key != "client_encoding" {
            pairs.append((key, value))
        }
        return pairs
    }

    /// Removes every password this configuration holds from `text` (libpq messages, for instance).
    func redact(_ text: String) -> String {
        var secrets: [String] = []
        if let password, !password.isEmpty { secrets.append(password) }
        for (key, value) in options where key == "password" && !value.isEmpty { secrets.append(value) }
        var result = text
        for secret in secrets { result = result.replacingAll(secret, with: "***") }
        return result
    }
}

extension String {
    /// Plain substring replacement without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
func percentEncode(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
            result.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = Array("0123456789ABCDEF".utf8)
            result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
        }
    }
    return result
}
