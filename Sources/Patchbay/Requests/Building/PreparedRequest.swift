/// A request ready to send: final method, URL (query included), headers and body bytes.
public struct PreparedRequest: Sendable, Hashable {
    /// One header line; names keep the case they were given in.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var method: String
    public var url: String
    public var headers: [Header]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [Header] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name`, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Replaces every header called `name` with one line holding `value`.
    public mutating func setHeader(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        var replaced = false
        headers = headers.compactMap { header in
            guard header.name.lowercased() == lowered else { return header }
            defer { replaced = true }
            return replaced ? nil : Header(name: header.name, value: value)
        }
        if !replaced { headers.append(Header(name: name, value: value)) }
    }

    /// The body as text (invalid UTF-8 replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
