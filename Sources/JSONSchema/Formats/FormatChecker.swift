/// The `format` values checked as assertions. Others are annotations only and never fail.
enum FormatChecker: String, Sendable, CaseIterable {
    case dateTime = "date-time"
    case date
    case time
    case duration
    case email
    case hostname
    case ipv4
    case ipv6
    case uri
    case uriReference = "uri-reference"
    case uuid
    case regex

    init?(name: String) {
        self.init(rawValue: name)
    }

    /// What a valid value is, for messages: "must be \(expectation)".
    var expectation: String {
        switch self {
        case .dateTime: "a valid date-time (RFC 3339, e.g. 2024-01-31T09:30:00Z)"
        case .date: "a valid date (YYYY-MM-DD)"
        case .time: "a valid time with offset (e.g. 09:30:00Z)"
        case .duration: "a valid ISO 8601 duration (e.g. P1DT2H)"
        case .email: "a valid email address"
        case .hostname: "a valid host name"
        case .ipv4: "a valid IPv4 address"
        case .ipv6: "a valid IPv6 address"
        case .uri: "a valid absolute URI (e.g. https://example.com)"
        case .uriReference: "a valid URI reference"
        case .uuid: "a valid UUID"
        case .regex: "a valid regular expression"
        }
    }

    func isValid(_ text: String) -> Bool {
        if self == .regex { return (try? ECMARegex(text)) != nil }
        var text = text
        return text.withUTF8 { bytes in
            switch self {
            case .dateTime: DateTimeFormat.isDateTime(bytes)
            case .date: DateTimeFormat.isDate(bytes[...])
            case .time: DateTimeFormat.isTime(bytes[...])
            case .duration: DurationFormat.isValid(bytes)
            case .email: EmailFormat.isValid(bytes)
            case .hostname: HostnameFormat.isValid(bytes[...])
            case .ipv4: IPAddressFormat.isIPv4(bytes[...])
            case .ipv6: IPAddressFormat.isIPv6(bytes[...])
            case .uri: URIFormat.isValid(bytes[...], requiresScheme: true)
            case .uriReference: URIFormat.isValid(bytes[...], requiresScheme: false)
            case .uuid: Self.isUUID(bytes)
            case .regex: false
            }
        }
    }

    private static func isUUID(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if hexDigitValue(byte) == nil {
                return false
            }
        }
        return true
    }
}

/// Helpers shared by the format checkers, on byte slices.
typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

extension UInt8 {
    var isASCIIDigit: Bool { self &- UInt8(ascii: "0") < 10 }
    var isASCIILetter: Bool { (self | 0x20) &- UInt8(ascii: "a") < 26 }
}

/// The number spelled by `count` ASCII digits starting at `offset`, or nil.
func fixedDigits(_ bytes: Bytes, _ offset: Int, _ count: Int) -> Int? {
    let start = bytes.startIndex + offset
    guard start >= bytes.startIndex, start + count <= bytes.endIndex else { return nil }
    var value = 0
    for index in start..<(start + count) {
        guard bytes[index].isASCIIDigit else { return nil }
        value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
    }
    return value
}
