-- Connector executions: one row per run of a connector, synchronous or queued, going
-- pending → executing → completed | failed. The row is also the queue: any node claims pending rows
-- with `FOR UPDATE SKIP LOCKED` and holds a lease it renews while the run goes on; a run whose lease
-- ran out (its node died) is claimed again once, then given up.
--
-- Nothing secret is stored: `input` is redacted by the caller before it gets here, and `request`,
-- `output` and `error` come from an execution outcome, which is already scrubbed of the connector's
-- credentials.

-- Lets an execution name its connector and tenant together, so a row can never pair one tenant with
-- another tenant's connector (foreign-key checks do not go through row-level security).
ALTER TABLE connectors ADD CONSTRAINT connectors_id_tenant_key UNIQUE (id, tenant_id);

CREATE TABLE connector_executions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    connector_id uuid NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'executing', 'completed', 'failed')),
    mode text NOT NULL CHECK (mode IN ('sync', 'async')),
    -- What the run was given ({input, contact, workspace}), redacted by the caller; replay reads it.
    input jsonb NOT NULL DEFAULT '{}',
    -- The last request sent, credentials redacted: {method, url, headers, body}.
    request jsonb,
    -- {mapped, mapping_problems, raw_response, raw_response_truncated, steps, skipped_steps}.
    output jsonb,
    http_status integer,
    error text,
    -- An execution failure kind (`timeout`, `http_status`, ...) or `node_lost`.
    error_kind text,
    -- The step (multi-step connector) that failed.
    error_step text,
    attempts integer NOT NULL DEFAULT 0,
    duration_ms integer,
    created_at timestamptz NOT NULL DEFAULT now(),
    queued_at timestamptz,
    started_at timestamptz,
    finished_at timestamptz,
    -- The node that claimed the run last (kept after it finishes: it says where it ran). NULL for
    -- synchronous runs, which run in the request that created them.
    lease_owner text,
    -- While executing: when the run counts as abandoned unless its node renews the lease. A
    -- synchronous run gets a long one that is never renewed, so a node that died mid-request does
    -- not leave it executing forever.
    lease_expires_at timestamptz,
    -- How many times a worker claimed the run; the fencing token of every write a worker makes.
    claims integer NOT NULL DEFAULT 0 CHECK (claims >= 0),
    replay_of uuid REFERENCES connector_executions (id) ON DELETE SET NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_by_name text NOT NULL DEFAULT '',
    FOREIGN KEY (connector_id, tenant_id) REFERENCES connectors (id, tenant_id) ON DELETE CASCADE,
    CHECK (status <> 'pending' OR mode = 'async'),
    CHECK ((status IN ('completed', 'failed')) = (finished_at IS NOT NULL)),
    CHECK (status = 'executing' OR lease_expires_at IS NULL)
);

-- The History panel: a connector's runs, newest first, paged by (created_at, id).
CREATE INDEX connector_executions_history
    ON connector_executions (tenant_id, connector_id, created_at DESC, id DESC);
-- Claiming: the oldest pending runs first.
CREATE INDEX connector_executions_pending ON connector_executions (queued_at, id) WHERE status = 'pending';
-- Recovery: running executions whose lease ran out.
CREATE INDEX connector_executions_leases
    ON connector_executions (lease_expires_at) WHERE status = 'executing';
-- Deleting an execution clears replay_of in its replays.
CREATE INDEX connector_executions_replay_of ON connector_executions (replay_of) WHERE replay_of IS NOT NULL;

ALTER TABLE connector_executions ENABLE ROW LEVEL SECURITY;
ALTER TABLE connector_executions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON connector_executions
    USING (tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (tenant_id = app_tenant_id() OR app_is_system());
