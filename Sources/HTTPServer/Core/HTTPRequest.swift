/// A complete request: head, decoded path and query, and the whole body.
public struct HTTPRequest: Sendable {
    public var method: HTTPMethod
    /// The request target exactly as received (still percent-encoded), e.g. `/a%20b?x=1`.
    public var target: String
    /// The percent-decoded path, e.g. `/a b`.
    public var path: String
    /// The query string pairs, decoded, in order.
    public var query: HTTPQuery
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var version: HTTPVersion
    /// Path parameters filled by the router, e.g. `id` for `/connectors/{id}`.
    public var parameters: Parameters

    /// The raw path (percent-encoded) of the target, without the query; the router splits
    /// this, so an encoded `%2F` stays inside one segment.
    var rawPath: String

    public init(
        method: HTTPMethod, target: String, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [],
        version: HTTPVersion = .http1_1
    ) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.version = version
        self.parameters = Parameters()
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.rawPath = String(parts[0])
        self.path = PercentEncoding.decode(String(parts[0])) ?? String(parts[0])
        self.query = parts.count > 1 ? HTTPQuery(encoded: parts[1].utf8) : HTTPQuery()
    }

    init(
        method: HTTPMethod, target: String, rawPath: String, path: String, query: HTTPQuery,
        headers: HTTPHeaders, body: [UInt8], version: HTTPVersion
    ) {
        self.method = method
        self.target = target
        self.rawPath = rawPath
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.version = version
        self.parameters = Parameters()
    }

    /// Cookies from the `Cookie` header; the first value of a repeated name wins.
    public var cookies: [String: String] { CookieParser.parse(headers) }

    /// Fields of an `application/x-www-form-urlencoded` body (`+` decodes to a space);
    /// empty when the body has another content type.
    public var formFields: HTTPQuery {
        guard let type = headers["Content-Type"],
            type.lowercased().hasPrefix("application/x-www-form-urlencoded")
        else { return HTTPQuery() }
        return HTTPQuery(encoded: body)
    }

    /// The body as UTF-8 text (invalid sequences replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// Named path parameters captured by the router.
public struct Parameters: Sendable, Sequence {
    public typealias Element = (name: String, value: String)
    var storage: [Element] = []

    public init() {}

    public subscript(name: String) -> String? {
        storage.first { $0.name == name }?.value
    }

    /// The parameter converted with `T(_:)`, or nil if absent or not convertible.
    public func get<T: LosslessStringConvertible>(_ name: String, as type: T.Type = T.self) -> T? {
        self[name].flatMap(T.init)
    }

    public var isEmpty: Bool { storage.isEmpty }

    public func makeIterator() -> IndexingIterator<[Element]> { storage.makeIterator() }

    mutating func set(_ name: String, _ value: String) { storage.append((name: name, value: value)) }
}
