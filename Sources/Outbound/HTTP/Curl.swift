import CCurl
import Glibc

/// libcurl's one-time global set-up.
enum Curl {
    /// Run on first use; Swift runs a global initialiser exactly once, even under contention,
    /// which is what `curl_global_init` asks of its callers.
    static let initialized: Result<Void, OutboundError> =
        curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
        ? .success(()) : .failure(.other("libcurl failed to initialise"))
}

/// One easy handle, used by one thread at a time; a transfer thread keeps it across requests
/// (see `CurlSession`), so the connections it holds can be reused.
///
/// Options and information go through the typed wrappers in `CCurl/shim.h`; each setter here
/// names the option family it takes, and debug builds check the option belongs to it.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    /// Lists handed to libcurl must outlive the transfer; freed by `reset()` or with the handle.
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init() throws {
        try Curl.initialized.get()
        guard let handle = curl_easy_init() else {
            throw OutboundError.other("libcurl could not create a handle")
        }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        lists.forEach { curl_slist_free_all($0) }
    }

    /// Forgets every option, including the callbacks and their data, and frees the lists they
    /// used; the live connections and the DNS cache stay with the handle.
    func reset() {
        curl_easy_reset(handle)
        // Only now does libcurl no longer point at them.
        lists.forEach { curl_slist_free_all($0) }
        lists.removeAll(keepingCapacity: true)
    }

    /// Sets a `long` option (flags, counts, timeouts).
    func set(_ option: CURLoption, _ value: Int) throws {
        assert(Self.family(option) == CURLOPTTYPE_LONG)
        try check(pb_curl_setopt_long(handle, option, value), option)
    }

    /// Sets a `curl_off_t` option (the `…_LARGE` sizes).
    func set(_ option: CURLoption, large value: curl_off_t) throws {
        assert(Self.family(option) == CURLOPTTYPE_OFF_T)
        try check(pb_curl_setopt_off_t(handle, option, value), option)
    }

    /// Sets a string option; libcurl copies option strings, so `value` need not outlive the call.
    func set(_ option: CURLoption, _ value: String) throws {
        assert(Self.family(option) == CURLOPTTYPE_STRINGPOINT)
        try check(pb_curl_setopt_string(handle, option, value), option)
    }

    /// Sets a data pointer option (a buffer, or the argument handed to a callback); the memory
    /// must stay valid while libcurl may use it.
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws {
        assert(Self.family(option) == CURLOPTTYPE_OBJECTPOINT)
        try check(pb_curl_setopt_pointer(handle, option, pointer), option)
    }

    /// Sets a list option (headers, resolve entries); the list lives until the next `reset()`.
    func set(_ option: CURLoption, list strings: [String]) throws {
        assert(Self.family(option) == CURLOPTTYPE_SLISTPOINT)
        var list: UnsafeMutablePointer<curl_slist>?
        for string in strings {
            guard let grown = curl_slist_append(list, string) else {
                throw OutboundError.other("out of memory")
            }
            list = grown
        }
        if let list { lists.append(list) }
        try check(pb_curl_setopt_slist(handle, option, list), option)
    }

    /// Sets `CURLOPT_WRITEFUNCTION` or `CURLOPT_HEADERFUNCTION`.
    func set(_ option: CURLoption, callback: curl_write_callback) throws {
        assert(option == CURLOPT_WRITEFUNCTION || option == CURLOPT_HEADERFUNCTION)
        try check(pb_curl_setopt_write_callback(handle, option, callback), option)
    }

    func setOpenSocket(_ callback: curl_opensocket_callback) throws {
        try check(pb_curl_setopt_opensocket_callback(handle, callback), CURLOPT_OPENSOCKETFUNCTION)
    }

    func setProgress(_ callback: curl_xferinfo_callback) throws {
        try check(pb_curl_setopt_xferinfo_callback(handle, callback), CURLOPT_XFERINFOFUNCTION)
    }

    func setPrerequest(_ callback: curl_prereq_callback) throws {
        try check(pb_curl_setopt_prereq_callback(handle, callback), CURLOPT_PREREQFUNCTION)
    }

    /// Reads a `long` item (0 when libcurl has none).
    func info(_ key: CURLINFO) -> Int {
        assert(Self.family(key) == CURLINFO_LONG)
        var value = 0
        _ = pb_curl_getinfo_long(handle, key, &value)
        return value
    }

    /// Reads a `curl_off_t` item, such as the `…_TIME_T` timings in microseconds (0 when none).
    func info(large key: CURLINFO) -> curl_off_t {
        assert(Self.family(key) == CURLINFO_OFF_T)
        var value: curl_off_t = 0
        _ = pb_curl_getinfo_off_t(handle, key, &value)
        return value
    }

    /// Reads a string item; nil when libcurl has none.
    func info(string key: CURLINFO) -> String? {
        assert(Self.family(key) == CURLINFO_STRING)
        var value: UnsafeMutablePointer<CChar>?
        _ = pb_curl_getinfo_string(handle, key, &value)
        return value.map { String(cString: $0) }
    }

    func perform() -> CURLcode { curl_easy_perform(handle) }

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else {
            throw OutboundError.other(
                "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    /// The argument type an option takes: libcurl numbers options in blocks of 10 000 per type.
    private static func family(_ option: CURLoption) -> Int32 {
        Int32(option.rawValue) / 10_000 * 10_000
    }

    /// The result type an information key has, kept in the key's high bits.
    private static func family(_ key: CURLINFO) -> Int32 {
        Int32(key.rawValue) & CURLINFO_TYPEMASK
    }
}
