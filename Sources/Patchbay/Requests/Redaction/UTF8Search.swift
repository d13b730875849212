import Glibc

/// Literal searches over UTF-8 bytes. Scrubbing compares bytes, not characters: a secret followed by
/// a combining mark is still found (a character comparison would see another character there), and
/// nothing is bridged through Foundation's UTF-16 strings on the request path.
enum UTF8Search {
    /// Whether `pattern` occurs in `text`.
    static func contains(_ text: String, _ pattern: String) -> Bool {
        guard !pattern.isEmpty else { return true }
        var text = text
        var pattern = pattern
        return text.withUTF8 { haystack in
            pattern.withUTF8 { needle in firstMatch(haystack, needle, from: 0) != nil }
        }
    }

    /// `text` with every occurrence of `pattern` replaced by `replacement`. UTF-8 is
    /// self-synchronising, so a match of a whole string always starts and ends on scalar boundaries.
    static func replacing(_ pattern: String, with replacement: String, in text: String) -> String {
        guard !pattern.isEmpty else { return text }
        var text = text
        var pattern = pattern
        return text.withUTF8 { haystack in
            pattern.withUTF8 { needle in
                var result: [UInt8] = []
                result.reserveCapacity(haystack.count)
                var start = 0
                while let match = firstMatch(haystack, needle, from: start) {
                    result.append(contentsOf: haystack[start..<match])
                    result.append(contentsOf: replacement.utf8)
                    start = match + needle.count
                }
                result.append(contentsOf: haystack[start...])
                return String(decoding: result, as: UTF8.self)
            }
        }
    }

    /// The offset of the first occurrence of `needle` (non-empty) at or after `start`.
    private static func firstMatch(
        _ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>, from start: Int
    ) -> Int? {
        guard let first = needle.first, let base = haystack.baseAddress, haystack.count >= needle.count
        else { return nil }
        var index = start
        while index <= haystack.count - needle.count {
            if base[index] == first, memcmp(base + index, needle.baseAddress!, needle.count) == 0 {
                return index
            }
            index += 1
        }
        return nil
    }
}
