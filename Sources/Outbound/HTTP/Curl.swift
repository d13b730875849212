import CCurl
import Glibc

/// Typed entry points into libcurl's variadic functions, plus its one-time global set-up.
///
/// `curl_easy_setopt` and `curl_easy_getinfo` are C variadic functions, which Swift does not
/// import. Their addresses are looked up in the loaded libcurl and called through non-variadic
/// prototypes of the one argument type each call passes (a `long` or a pointer). On x86-64 and
/// AArch64 Linux such arguments travel in the same registers either way (x86-64 callees only read
/// `%al` as an upper bound of vector registers to spill, and no vector registers carry these).
struct Curl: @unchecked Sendable {  // immutable C function pointers, callable from any thread
    typealias SetLong = @convention(c) (UnsafeMutableRawPointer?, CURLoption, Int) -> CURLcode
    typealias SetPointer =
        @convention(c) (UnsafeMutableRawPointer?, CURLoption, UnsafeRawPointer?) -> CURLcode
    typealias GetInfo =
        @convention(c) (UnsafeMutableRawPointer?, CURLINFO, UnsafeMutableRawPointer?) -> CURLcode

    let setLong: SetLong
    let setPointer: SetPointer
    let getInfo: GetInfo

    /// Loaded on first use; Swift runs a global initialiser exactly once, even under contention,
    /// which is what `curl_global_init` asks of its callers.
    static let shared: Result<Curl, OutboundError> = load()

    private static func load() -> Result<Curl, OutboundError> {
        guard curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK else {
            return .failure(.other("libcurl failed to initialise"))
        }
        // The symbols are found in the global scope when libcurl came in as a link-time
        // dependency; a host that loaded this code privately still finds them by soname.
        let library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_NOLOAD)
        func find(_ name: String) -> UnsafeMutableRawPointer? {
            dlsym(nil, name) ?? library.flatMap { dlsym($0, name) }
        }
        guard let setopt = find("curl_easy_setopt"), let getinfo = find("curl_easy_getinfo")
        else {
            return .failure(.other("libcurl's option functions could not be found"))
        }
        return .success(
            Curl(
                setLong: unsafeBitCast(setopt, to: SetLong.self),
                setPointer: unsafeBitCast(setopt, to: SetPointer.self),
                getInfo: unsafeBitCast(getinfo, to: GetInfo.self)))
    }
}

/// One easy handle, used on one thread for one request (and its redirects).
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private let curl: Curl
    /// Lists handed to libcurl must outlive the transfer; freed with the handle.
    private var lists: [UnsafeMutablePointer<curl_slist>] = []

    init() throws {
        let curl = try Curl.shared.get()
        guard let handle = curl_easy_init() else {
            throw OutboundError.other("libcurl could not create a handle")
        }
        self.curl = curl
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
        lists.forEach { curl_slist_free_all($0) }
    }

    func set(_ option: CURLoption, _ value: Int) throws {
        try check(curl.setLong(handle, option, value), option)
    }

    /// Sets a string option; libcurl copies option strings, so `value` need not outlive the call.
    func set(_ option: CURLoption, _ value: String) throws {
        try value.withCString { try check(curl.setPointer(handle, option, $0), option) }
    }

    func set(_ option: CURLoption, pointer: UnsafeRawPointer?) throws {
        try check(curl.setPointer(handle, option, pointer), option)
    }

    /// Sets a list option (headers, resolve entries); the list lives as long as the handle.
    func set(_ option: CURLoption, list strings: [String]) throws {
        var list: UnsafeMutablePointer<curl_slist>?
        for string in strings {
            guard let grown = curl_slist_append(list, string) else {
                throw OutboundError.other("out of memory")
            }
            list = grown
        }
        if let list { lists.append(list) }
        try set(option, pointer: list.map { UnsafeRawPointer($0) })
    }

    func info(_ key: CURLINFO) -> Int {
        var value = 0
        _ = curl.getInfo(handle, key, &value)
        return value
    }

    func info(string key: CURLINFO) -> String? {
        var value: UnsafePointer<CChar>?
        _ = curl.getInfo(handle, key, &value)
        return value.map { String(cString: $0) }
    }

    func perform() -> CURLcode { curl_easy_perform(handle) }

    private func check(_ code: CURLcode, _ option: CURLoption) throws {
        guard code == CURLE_OK else {
            throw OutboundError.other(
                "libcurl refused option \(option.rawValue): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
