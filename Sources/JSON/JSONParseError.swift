/// Why a JSON text could not be parsed, and where.
///
/// The description reads like "unexpected character 'x' at line 3, column 7". Lines and columns are
/// 1-based; columns count Unicode scalars, so a multi-byte character counts once.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// A character that cannot appear here (shown as the character, or as a byte when not printable).
        case unexpectedCharacter(String)
        case unexpectedEndOfInput
        case unterminatedString
        /// A byte sequence that is not well-formed UTF-8.
        case invalidUTF8
        /// A backslash escape other than `\" \\ \/ \b \f \n \r \t \uXXXX`.
        case invalidEscape(String)
        /// A `\uD800`–`\uDFFF` escape that is not half of a surrogate pair. Such strings are rejected
        /// because a Swift `String` cannot hold a lone surrogate.
        case loneSurrogate(String)
        /// A raw control character (U+0000–U+001F) inside a string; it must be escaped.
        case controlCharacterInString(UInt8)
        case invalidNumber(String)
        /// A number whose magnitude does not fit in a `Double`.
        case numberOutOfRange
        /// Arrays and objects nested deeper than the configured limit.
        case nestingTooDeep(limit: Int)
        /// More content after the single top-level value.
        case trailingCharacters(String)
    }

    public let kind: Kind
    /// Byte offset (0-based) of the problem in the input.
    public let offset: Int
    public let line: Int
    public let column: Int

    public init(kind: Kind, offset: Int, line: Int, column: Int) {
        self.kind = kind
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// What went wrong, without the position.
    public var message: String {
        switch kind {
        case .unexpectedCharacter(let shown): "unexpected character \(shown)"
        case .unexpectedEndOfInput: "unexpected end of input"
        case .unterminatedString: "unterminated string"
        case .invalidUTF8: "invalid UTF-8"
        case .invalidEscape(let escape): "invalid escape sequence '\(escape)'"
        case .loneSurrogate(let escape): "unpaired surrogate '\(escape)' in string"
        case .controlCharacterInString(let byte):
            "unescaped control character U+\(hex(byte, width: 4)) in string"
        case .invalidNumber(let reason): "invalid number: \(reason)"
        case .numberOutOfRange: "number is too large"
        case .nestingTooDeep(let limit): "arrays and objects nested deeper than \(limit) levels"
        case .trailingCharacters(let shown): "unexpected character \(shown) after the JSON value"
        }
    }

    public var description: String { "\(message) at line \(line), column \(column)" }
}

func hex(_ value: some BinaryInteger, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
