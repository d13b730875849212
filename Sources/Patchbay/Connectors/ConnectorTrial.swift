import Foundation
import JSON

/// A custom HTTP request tried before it is saved: the connector builder's "Try it".
///
/// The settings and credentials are the ones being edited, not the stored ones; only secrets left
/// unchanged on an installed connector (`.keep`) are taken from what is stored.
public struct ConnectorTrial: Sendable {
    /// The catalog entry of a new connector (its latest version); unused when `connectorID` is set.
    public var catalogKey: String
    /// The connector being edited: its pinned version's schemas apply, and its stored credentials fill
    /// the fields left unchanged.
    public var connectorID: UUID?
    public var config: JSONObject
    /// Per credential field; for a new connector only `.set` values count.
    public var auth: [String: AuthFieldChange]
    /// The `input` scope of the run (`{{input.x}}`).
    public var input: JSON
    /// The `contact` scope of the run (`{{contact.x}}`).
    public var contact: JSON

    public init(
        catalogKey: String, connectorID: UUID? = nil, config: JSONObject,
        auth: [String: AuthFieldChange] = [:], input: JSON = [:], contact: JSON = [:]
    ) {
        self.catalogKey = catalogKey
        self.connectorID = connectorID
        self.config = config
        self.auth = auth
        self.input = input
        self.contact = contact
    }
}

extension ConnectorManifest {
    /// Whether connectors of this entry are custom HTTP requests that `CustomHTTPExecutor` runs, and
    /// that the builder edits.
    public var isCustomHTTP: Bool { key == "custom-http" }
}
