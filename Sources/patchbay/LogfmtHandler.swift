import Foundation
import Glibc
import Logging
import Synchronization

/// Writes one logfmt line per event to standard output: `ts=… level=… msg="…" key=value …`.
/// One line per event keeps logs greppable and easy to ship to any collector.
struct LogfmtHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    let label: String

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line =
            "ts=\(Self.timestamp()) level=\(event.level.rawValue) msg=\(Self.quote(event.message.description))"
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quote(merged[key]!.description))"
        }
        line += "\n"
        LogOutput.write(line)
    }

    /// UTC, millisecond precision: `2026-11-21T17:42:03.705Z`.
    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }

    static func quote(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty || value.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}

/// Buffers log lines and writes them to standard output in batches: one `write` per line would cost a
/// system call per request under load. A background thread flushes at least every 100 ms, and
/// `flush()` runs before the process exits.
enum LogOutput {
    private static let buffer = Mutex([UInt8]())
    private static let flushThreshold = 32 * 1024

    static func write(_ line: String) {
        let full = buffer.withLock { bytes in
            bytes.append(contentsOf: line.utf8)
            return bytes.count >= flushThreshold
        }
        if full { flush() }
    }

    static func flush() {
        let pending = buffer.withLock { bytes in
            defer { bytes.removeAll(keepingCapacity: true) }
            return bytes
        }
        pending.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    static func startFlusher() {
        let thread = Thread {
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                flush()
            }
        }
        thread.name = "log-flush"
        thread.start()
    }
}

enum LoggingSetup {
    private static let done = Mutex(false)

    static func bootstrap(level: Logger.Level) {
        done.withLock { isDone in
            guard !isDone else { return }
            isDone = true
            LoggingSystem.bootstrap { label in LogfmtHandler(logLevel: level, label: label) }
            LogOutput.startFlusher()
        }
    }
}
