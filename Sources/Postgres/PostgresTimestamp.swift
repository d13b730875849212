#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Formats and parses PostgreSQL's ISO timestamps (`2024-05-06 07:08:09.123456+00`) without
/// Foundation's formatters, which are slow and locale-bound.
enum PostgresTimestamp {
    /// `date` in UTC, microsecond precision, ` BC` suffix for years before 1.
    static func format(_ date: Date) -> String {
        if date == .distantFuture { return "infinity" }
        if date == .distantPast { return "-infinity" }
        // Beyond PostgreSQL's range (4713 BC to 294276 AD) the only faithful values are the infinities.
        let seconds1970 = date.timeIntervalSince1970
        guard seconds1970 > -210_866_803_200, seconds1970 < 9_224_318_016_000 else {
            return seconds1970 < 0 ? "-infinity" : "infinity"
        }
        let micros = Int64((seconds1970 * 1_000_000).rounded())
        var days = micros / 86_400_000_000
        var dayMicros = micros % 86_400_000_000
        if dayMicros < 0 {
            dayMicros += 86_400_000_000
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        let seconds = dayMicros / 1_000_000
        let fraction = dayMicros % 1_000_000
        let isBC = year <= 0
        var text = pad(isBC ? 1 - year : year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += " " + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        if fraction != 0 { text += "." + pad(fraction, 6) }
        text += "+00"
        if isBC { text += " BC" }
        return text
    }

    /// Parses `timestamptz`, `timestamp` (read as UTC) and `date` output in the ISO DateStyle.
    static func parse(_ bytes: ArraySlice<UInt8>) -> Date? {
        var scanner = ByteScanner(bytes)
        if scanner.rest == Array("infinity".utf8)[...] { return .distantFuture }
        if scanner.rest == Array("-infinity".utf8)[...] { return .distantPast }
        guard let year = scanner.number(minDigits: 4), scanner.skip("-"),
            let month = scanner.number(exactDigits: 2), scanner.skip("-"),
            let day = scanner.number(exactDigits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var micros: Int64 = 0
        if scanner.skip(" ") || scanner.skip("T") {
            guard let hour = scanner.number(exactDigits: 2), scanner.skip(":"),
                let minute = scanner.number(exactDigits: 2), scanner.skip(":"),
                let second = scanner.number(exactDigits: 2)
            else { return nil }
            micros = (hour * 3600 + minute * 60 + second) * 1_000_000
            if scanner.skip(".") {
                var scale: Int64 = 100_000
                while let digit = scanner.digit() {
                    micros += digit * scale
                    scale /= 10
                }
            }
            if let sign = scanner.sign() {
                guard let offsetHours = scanner.number(exactDigits: 2) else { return nil }
                var offset = offsetHours * 3600
                if scanner.skip(":") {
                    guard let minutes = scanner.number(exactDigits: 2) else { return nil }
                    offset += minutes * 60
                    if scanner.skip(":") {
                        guard let seconds = scanner.number(exactDigits: 2) else { return nil }
                        offset += seconds
                    }
                }
                micros -= sign * offset * 1_000_000
            }
        }
        var astronomicalYear = year
        if scanner.skip(" BC") { astronomicalYear = 1 - year }
        guard scanner.isAtEnd else { return nil }
        let days = Self.days(fromCivil: astronomicalYear, month, day)
        let total = Double(days) * 86_400 + Double(micros) / 1_000_000
        return Date(timeIntervalSince1970: total)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    // Howard Hinnant's days-from-civil algorithms (proleptic Gregorian calendar).
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// A cursor over ASCII bytes for the small parsers of this module.
struct ByteScanner {
    private(set) var rest: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

    var isAtEnd: Bool { rest.isEmpty }

    mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard rest.count >= count else { return false }
        let matches = literal.withUTF8Buffer { rest.prefix(count).elementsEqual($0) }
        if matches { rest.removeFirst(count) }
        return matches
    }

    mutating func digit() -> Int64? {
        guard let byte = rest.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        rest.removeFirst()
        return Int64(byte - UInt8(ascii: "0"))
    }

    mutating func number(exactDigits: Int) -> Int64? {
        var value: Int64 = 0
        for _ in 0..<exactDigits {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func number(minDigits: Int) -> Int64? {
        var value: Int64 = 0
        var count = 0
        while count < 18, let digit = digit() {
            value = value * 10 + digit
            count += 1
        }
        return count >= minDigits ? value : nil
    }

    /// Consumes `+` or `-` and returns 1 or -1.
    mutating func sign() -> Int64? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
