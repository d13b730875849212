-- Installed connectors: a tenant's instances of catalog entries, with schema-validated config and
-- credentials sealed with the tenant's data key (AES-256-GCM). Only per-field fingerprints, set/unset
-- flags and the values of fields the schema does not mark secret are ever read back out.

-- A connector pins one version of its catalog entry; this lets the pair be checked by a foreign key.
ALTER TABLE catalog_versions ADD CONSTRAINT catalog_versions_id_connector_key UNIQUE (id, connector_id);

CREATE TABLE connectors (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    catalog_id uuid NOT NULL REFERENCES catalog_connectors (id),
    catalog_version_id uuid NOT NULL,
    name text NOT NULL CHECK (name = btrim(name) AND length(name) BETWEEN 1 AND 120),
    status text NOT NULL DEFAULT 'inactive' CHECK (status IN ('inactive', 'active', 'error')),
    status_message text NOT NULL DEFAULT '',
    config jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config) = 'object'),
    tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 12),
    -- The whole auth object sealed as one JSON document. The data-key version is also in the
    -- ciphertext header; the column lets key rotation find rows still under an old version.
    auth_ciphertext bytea,
    auth_key_version integer CHECK (auth_key_version > 0),
    -- Per field: {"set", "fingerprint", "updated_at", "updated_by", "secret"} plus "value" for
    -- fields the schema does not mark secret (an auth method, a client id, a user name).
    auth_fields jsonb NOT NULL DEFAULT '{}',
    last_tested_at timestamptz,
    last_test_result text CHECK (last_test_result IN ('success', 'failure')),
    last_test_latency_ms integer,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_by_name text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid REFERENCES users (id) ON DELETE SET NULL,
    updated_by_name text NOT NULL DEFAULT '',
    row_version integer NOT NULL DEFAULT 1,
    CHECK ((auth_ciphertext IS NULL) = (auth_key_version IS NULL)),
    FOREIGN KEY (catalog_version_id, catalog_id) REFERENCES catalog_versions (id, connector_id)
);

-- Names are unique per tenant whatever their case; the service turns a violation into a 409 on
-- `name`. The index also serves the Installed list, which is in name order.
CREATE UNIQUE INDEX connectors_tenant_name_key ON connectors (tenant_id, lower(name));
CREATE INDEX connectors_catalog_version ON connectors (catalog_version_id);

ALTER TABLE connectors ENABLE ROW LEVEL SECURITY;
ALTER TABLE connectors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON connectors
    USING (tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (tenant_id = app_tenant_id() OR app_is_system());

-- A connector's detail page reads its history (status changes, edits) from the audit log.
CREATE INDEX audit_events_target ON audit_events (tenant_id, target_type, target_id, id DESC);
