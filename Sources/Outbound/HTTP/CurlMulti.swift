import CCurl
import Glibc

/// A libcurl multi handle running one transfer at a time, driven by an `OutboundSocketWaiter`
/// instead of a blocking `curl_easy_perform`: libcurl says which sockets it wants watched and when
/// it wants to be called back (`CURLMOPT_SOCKETFUNCTION`, `CURLMOPT_TIMERFUNCTION`), the calling
/// task waits for that, then tells libcurl what happened (`curl_multi_socket_action`).
///
/// The multi handle keeps the connections of the transfers it ran, for the next one: a session
/// that drops it (`CurlSession.discard`) closes them. Used by one task at a time, and only between
/// two of its suspensions by one thread.
final class CurlMulti {
    /// The longest single wait, so a cancelled task is noticed even while libcurl waits for a slow
    /// server.
    static let pollInterval = 200

    let handle: UnsafeMutableRawPointer
    /// The sockets libcurl wants watched, with `CURL_POLL_IN`, `_OUT` or `_INOUT`.
    private var watched: [Int32: Int32] = [:]
    /// When libcurl wants to be called with `CURL_SOCKET_TIMEOUT`; nil when it set no timer.
    private var timer: ContinuousClock.Instant?
    /// Calls of either callback so far.
    private var callbacks = 0

    init(maxConnections: Int) throws {
        try Curl.initialized.get()
        guard let handle = curl_multi_init() else {
            throw OutboundError.other("libcurl could not create a handle")
        }
        self.handle = handle
        let me = Unmanaged.passUnretained(self).toOpaque()
        let codes = [
            pb_curl_multi_setopt_socket_callback(handle, Self.onSocket),
            pb_curl_multi_setopt_pointer(handle, CURLMOPT_SOCKETDATA, me),
            pb_curl_multi_setopt_timer_callback(handle, Self.onTimer),
            pb_curl_multi_setopt_pointer(handle, CURLMOPT_TIMERDATA, me),
            pb_curl_multi_setopt_long(handle, CURLMOPT_MAXCONNECTS, maxConnections),
        ]
        guard codes.allSatisfy({ $0 == CURLM_OK }) else {
            curl_multi_cleanup(handle)
            throw OutboundError.other("libcurl refused a multi handle option")
        }
    }

    /// Only once no easy handle is in it (`perform` always takes its own out again).
    deinit { curl_multi_cleanup(handle) }

    /// Runs the transfer set up on `easy` to its end and returns libcurl's result for it; throws
    /// `OutboundError.cancelled` when the waiter can no longer wait (its loop stopped).
    /// `cancellation` aborts the transfer within `pollInterval`.
    func perform(_ easy: CurlEasy, waiter: any OutboundSocketWaiter, cancellation: CancellationFlag)
        async throws -> CURLcode
    {
        guard curl_multi_add_handle(handle, easy.handle) == CURLM_OK else {
            throw OutboundError.other("libcurl could not start the transfer")
        }
        defer {
            curl_multi_remove_handle(handle, easy.handle)
            watched.removeAll()
            timer = nil
        }
        // Adding the handle set a timer that is already due: the first call starts the transfer.
        while true {
            var result = CURLE_OK
            if pb_curl_multi_done(handle, &result) == 1 { return result }
            if cancellation.isCancelled { return CURLE_ABORTED_BY_CALLBACK }
            let untilTimer = timer.map { deadline in
                let left = deadline - .now
                return left <= .zero ? 0 : Int((left + .microseconds(999)) / .milliseconds(1))
            }
            if untilTimer == 0 {
                let before = callbacks
                try act(on: CURL_SOCKET_BAD, events: 0)
                // libcurl calls back when it changes anything. Without a call it had nothing due
                // yet (its clock is finer than the milliseconds it reports): wait 1 ms rather than
                // call it again at once, over and over.
                if callbacks == before { timer = .now + .milliseconds(1) }
                continue
            }
            let sockets = watched.map { descriptor, what in
                WatchedSocket(
                    descriptor: descriptor, readable: what & CURL_POLL_IN != 0,
                    writable: what & CURL_POLL_OUT != 0)
            }
            let limit = min(untilTimer ?? Self.pollInterval, Self.pollInterval)
            switch await waiter.wait(for: sockets, timeoutMilliseconds: limit) {
            case .ready(let descriptor, let readable, let writable, let failed):
                var events: Int32 = 0
                if readable { events |= CURL_CSELECT_IN }
                if writable { events |= CURL_CSELECT_OUT }
                if failed { events |= CURL_CSELECT_ERR }
                try act(on: descriptor, events: events)
            case .timedOut:
                // Either libcurl's timer is due (handled at the top) or it is time to look at the
                // cancellation flag.
                continue
            case .unavailable:
                throw OutboundError.cancelled
            }
        }
    }

    /// Tells libcurl that `descriptor` is ready (`CURL_SOCKET_BAD`: that its timer is due).
    private func act(on descriptor: Int32, events: Int32) throws {
        var running: Int32 = 0
        let code = curl_multi_socket_action(handle, descriptor, events, &running)
        // A socket libcurl has just let go of is no error of the transfer's.
        guard code == CURLM_OK || code == CURLM_BAD_SOCKET else {
            throw OutboundError.other("libcurl failed: \(String(cString: curl_multi_strerror(code)))")
        }
    }

    private static func from(_ pointer: UnsafeMutableRawPointer?) -> CurlMulti {
        Unmanaged<CurlMulti>.fromOpaque(pointer!).takeUnretainedValue()
    }

    /// libcurl's word on one socket: watch it for `what`, or no longer (`CURL_POLL_REMOVE`).
    private static let onSocket:
        @convention(c) (
            UnsafeMutableRawPointer?, curl_socket_t, Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?
        ) -> Int32 = { _, descriptor, what, multi, _ in
            let multi = from(multi)
            multi.callbacks &+= 1
            if what == CURL_POLL_REMOVE {
                multi.watched.removeValue(forKey: descriptor)
            } else {
                multi.watched[descriptor] = what
            }
            return 0
        }

    /// libcurl's timer: call back in `milliseconds` (0: at once), or never (-1).
    private static let onTimer:
        @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Int32 = {
            _, milliseconds, multi in
            let multi = from(multi)
            multi.callbacks &+= 1
            multi.timer = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
            return 0
        }
}
