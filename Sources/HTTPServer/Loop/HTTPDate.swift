#if canImport(Glibc)
    import Glibc
#endif

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 5.6.7), written and read without
/// Foundation because the Date header is produced on every response.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].map { Array($0.utf8) }
    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]
    .map { Array($0.utf8) }

    static func format(_ seconds: Int) -> String {
        var bytes: [UInt8] = []
        append(seconds, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ seconds: Int, to bytes: inout [UInt8]) {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        bytes.append(contentsOf: days[Int(parts.tm_wday) % 7])
        bytes.append(contentsOf: [0x2C, 0x20])
        appendTwoDigits(Int(parts.tm_mday), to: &bytes)
        bytes.append(0x20)
        bytes.append(contentsOf: months[Int(parts.tm_mon) % 12])
        bytes.append(0x20)
        let year = Int(parts.tm_year) + 1900
        appendTwoDigits(year / 100, to: &bytes)
        appendTwoDigits(year % 100, to: &bytes)
        bytes.append(0x20)
        appendTwoDigits(Int(parts.tm_hour), to: &bytes)
        bytes.append(ASCII.colon)
        appendTwoDigits(Int(parts.tm_min), to: &bytes)
        bytes.append(ASCII.colon)
        appendTwoDigits(Int(parts.tm_sec), to: &bytes)
        bytes.append(contentsOf: Array(" GMT".utf8))
    }

    /// Parses an IMF-fixdate; the obsolete RFC 850 and asctime forms give nil (a conditional
    /// request with such a date is simply answered in full).
    static func parse(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 29, bytes[3] == 0x2C, bytes[25...] == Array(" GMT".utf8)[...] else { return nil }
        guard let day = number(bytes[5..<7]), let year = number(bytes[12..<16]),
            let hour = number(bytes[17..<19]), let minute = number(bytes[20..<22]),
            let second = number(bytes[23..<25]),
            let month = months.firstIndex(where: { $0[...] == bytes[8..<11] })
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Int(timegm(&parts))
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard ASCII.isDigit(digit) else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }

    private static func appendTwoDigits(_ value: Int, to bytes: inout [UInt8]) {
        bytes.append(UInt8(0x30 + value / 10 % 10))
        bytes.append(UInt8(0x30 + value % 10))
    }
}

/// The `Date: ...\r\n` line, rebuilt at most once a second by its event loop.
struct DateCache {
    private(set) var line: [UInt8] = []
    private var second = -1

    mutating func refresh() {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        let current = Int(now.tv_sec)
        guard current != second else { return }
        second = current
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: Array("Date: ".utf8))
        HTTPDate.append(current, to: &line)
        line.append(contentsOf: [ASCII.cr, ASCII.lf])
    }
}

/// Milliseconds on the monotonic clock, for timeouts.
func monotonicMilliseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
    return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
}
