/// A set of Unicode scalars: sorted, non-overlapping ranges plus Unicode property tests.
struct ScalarSet: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    var properties: [(property: UnicodeProperty, isNegated: Bool)] = []
    var isNegated = false

    static let maxScalar: UInt32 = 0x10FFFF

    static let digits = ScalarSet(ranges: [0x30...0x39])
    static let wordCharacters = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    /// ECMA-262 WhiteSpace and LineTerminator.
    static let whitespace = ScalarSet(ranges: [
        0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029,
        0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
    ])

    init(ranges: [ClosedRange<UInt32>] = []) {
        self.ranges = ranges
    }

    func contains(_ scalar: UInt32) -> Bool {
        var found = rangesContain(scalar)
        if !found, !properties.isEmpty, let value = Unicode.Scalar(scalar) {
            found = properties.contains { $0.property.matches(value) != $0.isNegated }
        }
        return found != isNegated
    }

    private func rangesContain(_ scalar: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < scalar {
                low = middle + 1
            } else if ranges[middle].lowerBound > scalar {
                high = middle
            } else {
                return true
            }
        }
        return false
    }

    /// Adds members of another set (which must not be negated itself unless it is ranges-only).
    mutating func formUnion(_ other: ScalarSet) {
        if other.isNegated && other.properties.isEmpty {
            ranges += Self.complement(of: other.ranges)
        } else {
            ranges += other.ranges
            properties += other.properties
        }
        normalize()
    }

    /// Sorts and merges the ranges so lookup can binary-search.
    mutating func normalize() {
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        ranges = merged
    }

    static func complement(of ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
            next = max(next, range.upperBound &+ 1)
        }
        if next <= maxScalar { result.append(next...maxScalar) }
        return result
    }
}

/// The Unicode properties `\p{...}` supports: general categories and a few binary properties.
/// Script properties are not available from the standard library and are rejected at compile time.
enum UnicodeProperty: Sendable {
    case categories([Unicode.GeneralCategory])
    case alphabetic, whiteSpace, uppercase, lowercase, ascii, any, assigned, asciiHexDigit
    case emoji, math, hexDigit, ideographic, noncharacter

    func matches(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch self {
        case .categories(let categories): return categories.contains(properties.generalCategory)
        case .alphabetic: return properties.isAlphabetic
        case .whiteSpace: return properties.isWhitespace
        case .uppercase: return properties.isUppercase
        case .lowercase: return properties.isLowercase
        case .ascii: return scalar.isASCII
        case .any: return true
        case .assigned: return properties.generalCategory != .unassigned
        case .asciiHexDigit: return scalar.isASCII && properties.isASCIIHexDigit
        case .emoji: return properties.isEmoji
        case .math: return properties.isMath
        case .hexDigit: return properties.isHexDigit
        case .ideographic: return properties.isIdeographic
        case .noncharacter: return properties.isNoncharacterCodePoint
        }
    }
}
