#ifndef PATCHBAY_CLINUX_SHIM_H
#define PATCHBAY_CLINUX_SHIM_H

// The headers below include <sys/socket.h> and other glibc headers that Swift's Glibc module
// already holds. Importing that module first makes those includes resolve to its declarations
// instead of a second copy inside this module; with two copies, Swift may settle on this
// module's copy of a glibc enum and then no longer find its constants (SOCK_STREAM, ...) in
// files that import only Glibc.
#if __has_feature(modules)
#pragma clang module import SwiftGlibc
#endif

// Linux interfaces that Swift's Glibc module leaves out. <sys/epoll.h> and <sys/eventfd.h> are
// not part of that module at all, so including them here exports their functions, constants and
// `struct epoll_event` (with its packed x86-64 layout) as the C compiler sees them.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

// <sys/socket.h> declares accept4 only under _GNU_SOURCE, and the Glibc module is built
// without it. Defining _GNU_SOURCE here would change other glibc prototypes (strerror_r, ...)
// behind Swift's back, so the one call is declared with glibc's own signature instead.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

#endif
