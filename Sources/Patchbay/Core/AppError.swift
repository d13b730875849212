/// Every failure the domain reports to a caller, with a message a person can act on.
///
/// The web layer turns these into responses in one place; nothing here knows about HTTP. Messages
/// never carry secret values: validation messages name fields and rules, not the values given.
public struct AppError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case badRequest = "bad_request"
        case unauthorized
        case forbidden
        case notFound = "not_found"
        case conflict
        case validation = "validation_failed"
        case tooManyRequests = "too_many_requests"
        case unavailable
        case notImplemented = "not_implemented"
        case `internal`
    }

    public var kind: Kind
    public var message: String
    /// Field path → messages, for validation errors (`{"config.port": ["must be at most 65535"]}`).
    public var fields: [String: [String]]
    /// For `tooManyRequests`: how long the caller should wait, sent as `Retry-After`.
    public var retryAfterSeconds: Int?

    public init(
        _ kind: Kind, _ message: String, fields: [String: [String]] = [:], retryAfterSeconds: Int? = nil
    ) {
        self.kind = kind
        self.message = message
        self.fields = fields
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(kind.rawValue): \(message)" }

    public static func notFound(_ what: String) -> AppError { AppError(.notFound, "\(what) was not found.") }

    public static func validation(
        _ fields: [String: [String]], message: String = "Some fields need attention."
    )
        -> AppError
    {
        AppError(.validation, message, fields: fields)
    }
}
