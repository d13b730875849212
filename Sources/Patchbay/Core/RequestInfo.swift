/// Where a change came from, for the audit log and login throttling.
public struct RequestInfo: Sendable {
    public var requestID: String
    /// The client's address (`127.0.0.1`, `::1`).
    public var ip: String
    public var userAgent: String

    public init(requestID: String, ip: String, userAgent: String = "") {
        self.requestID = requestID
        self.ip = ip
        self.userAgent = String(userAgent.prefix(512))
    }

    /// Changes made from the command line.
    public static let commandLine = RequestInfo(requestID: "cli", ip: "", userAgent: "patchbay cli")
}
