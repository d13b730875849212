-- The connector catalog: one row per connector type, one row per published version of its manifest.
-- Platform entries (owner_tenant_id IS NULL) are visible to every tenant; private entries only to
-- the tenant that created them.

CREATE TABLE catalog_connectors (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
    owner_tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
    is_platform boolean GENERATED ALWAYS AS (owner_tenant_id IS NULL) STORED,
    name text NOT NULL,
    description text NOT NULL,
    category text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('api', 'database', 'storage', 'messaging', 'http')),
    provider text NOT NULL,
    icon text NOT NULL,
    auth_type text NOT NULL CHECK (auth_type IN ('oauth', 'api_key', 'basic', 'none')),
    status text NOT NULL CHECK (status IN ('draft', 'beta', 'stable', 'deprecated')),
    docs_url text NOT NULL,
    capabilities text[] NOT NULL DEFAULT '{}',
    tags text[] NOT NULL DEFAULT '{}',
    latest_version_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A key names one platform entry; a tenant's private keys are unique within that tenant.
CREATE UNIQUE INDEX catalog_connectors_platform_key ON catalog_connectors (key) WHERE owner_tenant_id IS NULL;
CREATE UNIQUE INDEX catalog_connectors_private_key ON catalog_connectors (owner_tenant_id, key)
    WHERE owner_tenant_id IS NOT NULL;

CREATE TABLE catalog_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    connector_id uuid NOT NULL REFERENCES catalog_connectors (id) ON DELETE CASCADE,
    owner_tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
    version text NOT NULL,
    manifest jsonb NOT NULL,
    config_schema jsonb NOT NULL,
    auth_schema jsonb NOT NULL,
    capabilities text[] NOT NULL DEFAULT '{}',
    checksum text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connector_id, version)
);

ALTER TABLE catalog_connectors
    ADD CONSTRAINT catalog_connectors_latest_version_fk
    FOREIGN KEY (latest_version_id) REFERENCES catalog_versions (id) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE catalog_connectors ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalog_connectors FORCE ROW LEVEL SECURITY;
CREATE POLICY catalog_connectors_visibility ON catalog_connectors
    USING (owner_tenant_id IS NULL OR owner_tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (owner_tenant_id = app_tenant_id() OR app_is_system());

ALTER TABLE catalog_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalog_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY catalog_versions_visibility ON catalog_versions
    USING (owner_tenant_id IS NULL OR owner_tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (owner_tenant_id = app_tenant_id() OR app_is_system());
