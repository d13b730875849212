/// Reads a `Retry-After` header value: delay seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, or the obsolete RFC 850 and asctime forms, RFC 9110 §5.6.7).
public enum RetryAfter {
    /// How long to wait, measured from `now` (seconds since 1970) for a date; nil if unreadable.
    /// A date in the past means no wait.
    public static func delay(from value: String, now: Double) -> Duration? {
        let text = value.trimmingWhitespace()
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard let seconds = Int64(text) else { return nil }
            return .seconds(seconds)
        }
        guard let date = httpDate(text) else { return nil }
        return .milliseconds(Int64(max(0, (Double(date) - now) * 1000).rounded()))
    }

    /// Seconds since 1970 for an HTTP date in any of its three forms, or nil.
    public static func httpDate(_ text: String) -> Int? {
        let tokens = text.split(whereSeparator: { " ,:-".contains($0) }).map(String.init)
        guard tokens.count == 8 || tokens.count == 7 else { return nil }
        // IMF-fixdate and RFC 850: weekday day month year h m s GMT; asctime: weekday month day h m s year.
        let isAsctime = tokens.count == 7
        if !isAsctime, tokens[7] != "GMT" { return nil }
        let dayText = isAsctime ? tokens[2] : tokens[1]
        let monthText = isAsctime ? tokens[1] : tokens[2]
        let yearText = isAsctime ? tokens[6] : tokens[3]
        let clock = isAsctime ? tokens[3...5] : tokens[4...6]
        guard let day = Int(dayText), let month = months.firstIndex(of: monthText), var year = Int(yearText),
            let time = Optional(clock.compactMap { Int($0) }), time.count == 3,
            (1...31).contains(day), (0...23).contains(time[0]), (0...59).contains(time[1]),
            (0...60).contains(time[2])
        else { return nil }
        if yearText.count == 2 { year += year < 70 ? 2000 : 1900 }
        return daysSince1970(year: year, month: month + 1, day: day) * 86_400 + time[0] * 3600 + time[1] * 60
            + time[2]
    }

    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
