#ifndef PATCHBAY_CCURL_SHIM_H
#define PATCHBAY_CCURL_SHIM_H

// curl.h includes <sys/socket.h> and friends. Importing Swift's Glibc module first makes those
// includes resolve to its declarations instead of a second copy inside this module; with two
// copies, Swift may settle on this module's copy of a glibc enum and then no longer find its
// constants (SOCK_STREAM, MSG_NOSIGNAL, ...) in files that import only Glibc.
#if defined(__linux__) && __has_feature(modules)
#pragma clang module import SwiftGlibc
#endif

#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call. Each wrapper
// below fixes the one argument type libcurl reads for a family of options (see the
// CURLOPTTYPE_* and CURLINFO_* type ranges in curl.h), so the compiler builds a proper variadic
// call and Swift sees a typed function.

// Setting options.

/// CURLOPTTYPE_LONG options (flags, counts, timeouts).
static inline CURLcode pb_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPTTYPE_OFF_T options (the *_LARGE sizes).
static inline CURLcode pb_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPTTYPE_STRINGPOINT options; libcurl copies the string.
static inline CURLcode pb_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPTTYPE_SLISTPOINT options; the list must outlive the handle's use of it.
static inline CURLcode pb_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPTTYPE_OBJECTPOINT and CURLOPTTYPE_CBPOINT options: buffers and callback data.
static inline CURLcode pb_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION, which share one callback type.
static inline CURLcode pb_curl_setopt_write_callback(CURL *handle, CURLoption option,
                                                     curl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

/// CURLOPT_OPENSOCKETFUNCTION.
static inline CURLcode pb_curl_setopt_opensocket_callback(CURL *handle, curl_opensocket_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_OPENSOCKETFUNCTION, callback);
}

/// CURLOPT_XFERINFOFUNCTION.
static inline CURLcode pb_curl_setopt_xferinfo_callback(CURL *handle, curl_xferinfo_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

/// CURLOPT_PREREQFUNCTION (libcurl 7.80): called once a connection, new or reused, is ready and
/// before the request is sent on it.
static inline CURLcode pb_curl_setopt_prereq_callback(CURL *handle, curl_prereq_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, callback);
}

// Reading transfer information.

/// CURLINFO_LONG keys.
static inline CURLcode pb_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// CURLINFO_DOUBLE keys.
static inline CURLcode pb_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// CURLINFO_OFF_T keys (the *_T sizes and microsecond timings).
static inline CURLcode pb_curl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// CURLINFO_STRING keys; the string belongs to the handle and may be NULL.
static inline CURLcode pb_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

/// CURLINFO_PTR (and CURLINFO_SLIST) keys.
static inline CURLcode pb_curl_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

// The multi interface, driven from an event loop (CURLMOPT_SOCKETFUNCTION, CURLMOPT_TIMERFUNCTION).

/// CURLMOPT_SOCKETFUNCTION.
static inline CURLMcode pb_curl_multi_setopt_socket_callback(CURLM *multi, curl_socket_callback callback) {
    return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, callback);
}

/// CURLMOPT_TIMERFUNCTION.
static inline CURLMcode pb_curl_multi_setopt_timer_callback(CURLM *multi, curl_multi_timer_callback callback) {
    return curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, callback);
}

/// CURLMOPT_SOCKETDATA and CURLMOPT_TIMERDATA.
static inline CURLMcode pb_curl_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) {
    return curl_multi_setopt(multi, option, value);
}

/// long options such as CURLMOPT_MAXCONNECTS.
static inline CURLMcode pb_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

/// Reads the multi handle's messages until one says a transfer is done: returns 1 and sets
/// `result` to its code, or 0 when none is.
static inline int pb_curl_multi_done(CURLM *multi, CURLcode *result) {
    int queued = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(multi, &queued)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *result = message->data.result;
            return 1;
        }
    }
    return 0;
}

#endif
