import CCurl
import Glibc

/// Turns a failed libcurl transfer into an `OutboundError` a person can act on.
struct CurlFailure {
    let code: CURLcode
    let context: TransferContext
    let easy: CurlEasy
    let url: CurlURL
    let timeout: Duration
    let headers: OutboundHTTPHeaders

    var error: OutboundError {
        if context.cancellation.isCancelled { return .cancelled }
        if let refused = context.refusedAddress {
            return .addressNotAllowed(
                host: url.host, address: refused, reason: "not among the checked addresses")
        }
        if context.isTooLarge { return .responseTooLarge(limit: context.limit) }
        switch code {
        case CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge(limit: context.limit)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(after: timeout)
        case CURLE_COULDNT_RESOLVE_HOST:
            return .dnsFailure(host: url.host)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .invalidURL("'\(redactedURL(url.text))': \(detail)")
        case CURLE_COULDNT_CONNECT:
            switch Int32(easy.info(CURLINFO_OS_ERRNO)) {
            case ECONNREFUSED: return .connectionRefused(host: url.host, port: url.port)
            case ETIMEDOUT: return .timeout(after: timeout)
            default: return .other("could not connect to \(redactedURL(url.text)): \(detail)")
            }
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_USE_SSL_FAILED, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE:
            return .tlsError(detail)
        case CURLE_GOT_NOTHING:
            return .protocolError("\(redactedURL(url.text)) closed the connection without answering")
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING:
            return .protocolError("\(redactedURL(url.text)): \(detail)")
        default:
            return .other("request to \(redactedURL(url.text)) failed: \(detail)")
        }
    }

    /// libcurl's own text, with anything the caller sent as a header value blanked out in case
    /// a server echoed it into an error libcurl repeats.
    private var detail: String {
        var text = context.errorText
        if text.isEmpty { text = String(cString: curl_easy_strerror(code)) }
        return redactingSecrets(in: text, secrets: headers.map(\.value) + [url.text])
    }
}

/// Replaces every occurrence of each secret (of at least four characters) with `[redacted]`.
func redactingSecrets(in text: String, secrets: [String]) -> String {
    var result = text
    for secret in secrets where secret.count >= 4 {
        result = result.replacing(secret, with: "[redacted]")
    }
    return result
}
