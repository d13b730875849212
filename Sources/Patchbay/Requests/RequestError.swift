/// Why a request template, request description or field mapping could not be compiled or used.
///
/// Messages name paths, fields and positions, never the values involved: a rendered value may be a
/// credential. `appError` maps the failure onto the domain's error for callers that report it.
public struct RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The template text is malformed (unclosed tag, unbalanced section, bad path or filter).
        case syntax
        /// A variable the template needs is absent from the scopes and has no default.
        case missingVariable(String)
        /// A rendered value cannot be used where it lands (CR/LF in a header, a dot segment in a URL,
        /// a body that is not well formed).
        case invalidValue
        /// The request description itself is wrong (unknown method or body type, bad header name).
        case invalidRequest
        /// Authentication the request asks for that cannot be applied here.
        case unsupportedAuth(String)
        /// A JSON path that cannot be parsed.
        case invalidPath
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    static func syntax(_ message: String, at offset: Int) -> RequestError {
        RequestError(.syntax, "\(message) at offset \(offset)")
    }

    static func missingVariable(_ path: String) -> RequestError {
        RequestError(.missingVariable(path), "missing variable \(path)")
    }

    static func invalidRequest(_ message: String) -> RequestError {
        RequestError(.invalidRequest, message)
    }

    static func invalidValue(_ message: String) -> RequestError {
        RequestError(.invalidValue, message)
    }

    /// Prefixes the message with where the failing template sits (`headers.Authorization: …`).
    func located(_ location: String) -> RequestError {
        RequestError(kind, "\(location): \(message)")
    }

    /// The domain error for this failure: a caller-supplied value or definition that cannot be used.
    public var appError: AppError {
        switch kind {
        case .unsupportedAuth: AppError(.notImplemented, message)
        default: AppError(.badRequest, message)
        }
    }
}
