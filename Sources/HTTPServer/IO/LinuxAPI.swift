import CLinux

#if canImport(Glibc)
    import Glibc
#endif

/// The Linux flag values the server passes around, typed the way its calls take them. The values
/// come from the C headers (through `CLinux`), which Swift imports with assorted integer types.
enum LinuxAPI {
    static let epollIn = EPOLLIN.rawValue
    static let epollOut = EPOLLOUT.rawValue
    static let epollErr = EPOLLERR.rawValue
    static let epollHup = EPOLLHUP.rawValue
    static let epollOneShot = EPOLLONESHOT.rawValue
    static let epollCtlAdd = EPOLL_CTL_ADD
    static let epollCtlDel = EPOLL_CTL_DEL
    static let epollCtlMod = EPOLL_CTL_MOD
    /// `O_CLOEXEC`, which `EPOLL_CLOEXEC`, `EFD_CLOEXEC` and `SOCK_CLOEXEC` all equal.
    static let closeOnExec = Int32(SOCK_CLOEXEC.rawValue)
    /// `O_NONBLOCK`, which `EFD_NONBLOCK` and `SOCK_NONBLOCK` both equal.
    static let nonBlocking = Int32(SOCK_NONBLOCK.rawValue)
}
