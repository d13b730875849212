/// Parses a `Cookie` request header (`a=1; b=2`) per RFC 6265 section 5.4.
enum CookieParser {
    static func parse(_ headers: HTTPHeaders) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headers.values(for: "Cookie") {
            for piece in header.split(separator: ";") {
                guard let equals = piece.firstIndex(of: "=") else { continue }
                let name = piece[..<equals].trimmingSpaces()
                var value = piece[piece.index(after: equals)...].trimmingSpaces()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = value.dropFirst().dropLast()
                }
                // The first occurrence wins: browsers send the most specific cookie first.
                if !name.isEmpty, cookies[String(name)] == nil { cookies[String(name)] = String(value) }
            }
        }
        return cookies
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
