/// A PostgreSQL type, identified by its OID (the numbers are fixed in the server's catalog).
public struct PostgresDataType: Sendable, Hashable, CustomStringConvertible {
    /// The type's OID in `pg_type`.
    public var oid: UInt32

    /// Wraps a raw OID.
    public init(oid: UInt32) { self.oid = oid }

    /// No declared type: the server infers the parameter's type from the statement.
    public static let unspecified = Self(oid: 0)
    public static let bool = Self(oid: 16)
    public static let bytea = Self(oid: 17)
    public static let char = Self(oid: 18)
    public static let name = Self(oid: 19)
    public static let int8 = Self(oid: 20)
    public static let int2 = Self(oid: 21)
    public static let int4 = Self(oid: 23)
    public static let text = Self(oid: 25)
    public static let oidType = Self(oid: 26)
    public static let json = Self(oid: 114)
    public static let float4 = Self(oid: 700)
    public static let float8 = Self(oid: 701)
    public static let unknown = Self(oid: 705)
    public static let bpchar = Self(oid: 1042)
    public static let varchar = Self(oid: 1043)
    public static let date = Self(oid: 1082)
    public static let time = Self(oid: 1083)
    public static let timestamp = Self(oid: 1114)
    public static let timestamptz = Self(oid: 1184)
    public static let interval = Self(oid: 1186)
    public static let numeric = Self(oid: 1700)
    public static let uuid = Self(oid: 2950)
    public static let jsonb = Self(oid: 3802)
    public static let boolArray = Self(oid: 1000)
    public static let byteaArray = Self(oid: 1001)
    public static let int2Array = Self(oid: 1005)
    public static let int4Array = Self(oid: 1007)
    public static let textArray = Self(oid: 1009)
    public static let bpcharArray = Self(oid: 1014)
    public static let varcharArray = Self(oid: 1015)
    public static let int8Array = Self(oid: 1016)
    public static let float4Array = Self(oid: 1021)
    public static let float8Array = Self(oid: 1022)
    public static let timestampArray = Self(oid: 1115)
    public static let timestamptzArray = Self(oid: 1185)
    public static let numericArray = Self(oid: 1231)
    public static let uuidArray = Self(oid: 2951)
    public static let jsonbArray = Self(oid: 3807)

    private static let names: [UInt32: String] = [
        0: "unspecified", 16: "bool", 17: "bytea", 18: "char", 19: "name", 20: "int8", 21: "int2",
        23: "int4", 25: "text", 26: "oid", 114: "json", 700: "float4", 701: "float8", 705: "unknown",
        1042: "bpchar", 1043: "varchar", 1082: "date", 1083: "time", 1114: "timestamp",
        1184: "timestamptz", 1186: "interval", 1700: "numeric", 2950: "uuid", 3802: "jsonb",
        1000: "bool[]", 1001: "bytea[]", 1005: "int2[]", 1007: "int4[]", 1009: "text[]",
        1014: "bpchar[]", 1015: "varchar[]", 1016: "int8[]", 1021: "float4[]", 1022: "float8[]",
        1115: "timestamp[]", 1185: "timestamptz[]", 1231: "numeric[]", 2951: "uuid[]",
        3807: "jsonb[]",
    ]

    /// The type's name for the common types, else `oid N`.
    public var description: String { Self.names[oid] ?? "oid \(oid)" }

    /// True for the types whose values are character strings.
    var isTextual: Bool {
        [Self.text, .varchar, .bpchar, .name, .char, .unknown, .unspecified].contains(self)
    }

    /// The element type of the array types listed above, nil for anything else.
    var arrayElementType: PostgresDataType? {
        switch self {
        case .boolArray: .bool
        case .byteaArray: .bytea
        case .int2Array: .int2
        case .int4Array: .int4
        case .int8Array: .int8
        case .textArray: .text
        case .bpcharArray: .bpchar
        case .varcharArray: .varchar
        case .float4Array: .float4
        case .float8Array: .float8
        case .timestampArray: .timestamp
        case .timestamptzArray: .timestamptz
        case .numericArray: .numeric
        case .uuidArray: .uuid
        case .jsonbArray: .jsonb
        default: nil
        }
    }
}
