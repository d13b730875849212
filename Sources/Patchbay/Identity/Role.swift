/// A member's role in a tenant, from least to most powerful: viewer < developer < admin < owner.
public enum Role: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case viewer
    case developer
    case admin
    case owner

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .developer: 1
        case .admin: 2
        case .owner: 3
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// The role named `text` (case-insensitive), or nil.
    public init?(parsing text: String) {
        self.init(rawValue: text.lowercased())
    }

    /// "Owner", "Admin", ... for pages.
    public var label: String {
        switch self {
        case .viewer: "Viewer"
        case .developer: "Developer"
        case .admin: "Admin"
        case .owner: "Owner"
        }
    }

    public var description: String { rawValue }

    /// Roles from most to least powerful, the order pages list them in.
    public static let descending: [Role] = allCases.reversed()

    /// The error for a role name that is not one of the four.
    static func invalid(_ field: String = "role") -> AppError {
        AppError.validation([field: ["must be one of owner, admin, developer, viewer"]])
    }
}
