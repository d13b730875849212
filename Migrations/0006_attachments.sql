-- Agent attachments: a tenant hands one of its installed connectors to an agent (a service outside
-- Patchbay, known only by the opaque id it is given) under an alias, with settings of its own laid
-- over the connector's. Credentials stay with the connector: an override holds settings only, never
-- a credential, and the agent never sees the connector's secrets.
--
-- API tokens may be bound to an agent: such a token is a viewer token that may also run read-only
-- queries on the connectors attached to its agent (docs/connectors.md, "Agents").

CREATE TABLE connector_attachments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    connector_id uuid NOT NULL,
    -- Supplied by the caller; Patchbay only checks its shape.
    agent_id text NOT NULL CHECK (agent_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    alias text NOT NULL CHECK (alias ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    -- Top-level settings that replace the connector's for this agent; validated by the service
    -- against the connector's pinned config_schema, merged over the connector's config.
    config_override jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(config_override) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_by_name text NOT NULL DEFAULT '',
    -- Naming the tenant in the key keeps an attachment from pairing one tenant with another tenant's
    -- connector (foreign-key checks do not go through row-level security); deleting the connector
    -- deletes its attachments.
    FOREIGN KEY (connector_id, tenant_id) REFERENCES connectors (id, tenant_id) ON DELETE CASCADE
);

-- An agent names its connectors by alias, whatever the case; the service turns a violation into a
-- 409 on `alias`, so two concurrent attaches with one alias give one success and one conflict. The
-- index also serves the agent's list, in alias order.
CREATE UNIQUE INDEX connector_attachments_agent_alias_key
    ON connector_attachments (tenant_id, agent_id, lower(alias));
-- The connector's detail page lists its attachments.
CREATE INDEX connector_attachments_connector ON connector_attachments (tenant_id, connector_id);

ALTER TABLE connector_attachments ENABLE ROW LEVEL SECURITY;
ALTER TABLE connector_attachments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON connector_attachments
    USING (tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (tenant_id = app_tenant_id() OR app_is_system());

-- A token bound to an agent reads like a viewer and queries only that agent's attachments; its role
-- is fixed to viewer so that no other check can grant it more.
ALTER TABLE api_tokens
    ADD COLUMN agent_id text CHECK (agent_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    ADD CONSTRAINT api_tokens_agent_role_check CHECK (agent_id IS NULL OR role = 'viewer');
