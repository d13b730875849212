-- Identity: tenants, users, memberships, sessions, API tokens, invites, keys, audit log, login throttling.
--
-- Conventions every later migration follows:
-- * A tenant-owned table has a NOT NULL tenant_id, ENABLE + FORCE ROW LEVEL SECURITY, and the policy
--   `tenant_id = app_tenant_id() OR app_is_system()`. FORCE makes the policy bind the table's owner
--   too (the app connects as the role that runs migrations), so a query that forgets its tenant
--   filter still sees only the current tenant's rows, and outside any scope it sees none.
-- * `Database.tenant(id)` sets the transaction-local `app.tenant_id`; `Database.system` sets
--   `app.scope = 'system'` for the few jobs that must cross tenants (session lookup, seeding, keys).
-- * Secrets are never stored in clear: tokens as SHA-256 hex, passwords as scrypt strings, data keys
--   wrapped by the master key (which never enters the database).

CREATE FUNCTION app_tenant_id() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;

CREATE FUNCTION app_is_system() RETURNS boolean
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(current_setting('app.scope', true), '') = 'system' $$;

CREATE TABLE tenants (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    name text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    -- NULL: the account cannot log in with a password.
    password_hash text,
    is_superuser boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE memberships (
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user_id ON memberships (user_id);

-- Browser sessions. Only the SHA-256 of the cookie value is kept; the CSRF token is not a credential
-- on its own (it only accompanies the cookie).
CREATE TABLE sessions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash text NOT NULL UNIQUE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The tenant the user is working in; NULL until the user belongs to one.
    tenant_id uuid REFERENCES tenants (id) ON DELETE SET NULL,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    idle_expires_at timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    ip text NOT NULL DEFAULT '',
    user_agent text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash text NOT NULL UNIQUE,
    -- `pb_` and the first characters of the token, so people can tell their tokens apart.
    display_prefix text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_tenant_id ON api_tokens (tenant_id, created_at DESC);

CREATE TABLE invites (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'developer', 'viewer')),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_at timestamptz
);
CREATE INDEX invites_tenant_id ON invites (tenant_id, created_at DESC);

-- Each tenant's data keys, wrapped by the master key; exactly one is current (seals new values).
CREATE TABLE tenant_keys (
    tenant_id uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    version integer NOT NULL CHECK (version > 0),
    master_key_id text NOT NULL,
    wrapped_key bytea NOT NULL,
    is_current boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, version)
);
CREATE UNIQUE INDEX tenant_keys_one_current ON tenant_keys (tenant_id) WHERE is_current;

-- Installation-wide secrets (the fingerprint key), envelope-encrypted: the value sealed under its own
-- data key, which the master key wraps.
CREATE TABLE installation_secrets (
    name text PRIMARY KEY,
    master_key_id text NOT NULL,
    wrapped_key bytea NOT NULL,
    sealed_value bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Who did what, when. Details are redacted before they get here. tenant_id NULL marks platform
-- events (failed logins, account creation), visible only to system scope.
CREATE TABLE audit_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id uuid REFERENCES tenants (id) ON DELETE CASCADE,
    actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    actor_token_id uuid REFERENCES api_tokens (id) ON DELETE SET NULL,
    actor_label text NOT NULL DEFAULT '',
    action text NOT NULL,
    target_type text NOT NULL DEFAULT '',
    target_id text NOT NULL DEFAULT '',
    request_id text NOT NULL DEFAULT '',
    ip text NOT NULL DEFAULT '',
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_tenant_id ON audit_events (tenant_id, id DESC);

-- Failed logins per account (key `account:<sha256 of the lowercased email>`) and per client address
-- (`ip:<address>`), shared by every node.
CREATE TABLE login_throttle (
    key text PRIMARY KEY,
    failures integer NOT NULL,
    window_started_at timestamptz NOT NULL,
    locked_until timestamptz
);

-- Row-level security.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
    USING (id = app_tenant_id() OR app_is_system())
    WITH CHECK (id = app_tenant_id() OR app_is_system());

-- Users are global, but a tenant scope sees only its own members (never another tenant's people).
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY member_visibility ON users
    USING (app_is_system() OR EXISTS (
        SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.tenant_id = app_tenant_id()))
    WITH CHECK (app_is_system());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships
    USING (tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (tenant_id = app_tenant_id() OR app_is_system());

ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_tokens
    USING (tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (tenant_id = app_tenant_id() OR app_is_system());

ALTER TABLE invites ENABLE ROW LEVEL SECURITY;
ALTER TABLE invites FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invites
    USING (tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (tenant_id = app_tenant_id() OR app_is_system());

ALTER TABLE tenant_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_keys
    USING (tenant_id = app_tenant_id() OR app_is_system())
    WITH CHECK (tenant_id = app_tenant_id() OR app_is_system());

-- The audit log is append-only: no policy allows UPDATE or DELETE, so they touch no rows.
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_events FOR SELECT
    USING (tenant_id = app_tenant_id() OR app_is_system());
CREATE POLICY tenant_append ON audit_events FOR INSERT
    WITH CHECK (tenant_id = app_tenant_id() OR app_is_system());

-- Tables only system scope may touch: sessions are found by token before any tenant is known.
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY system_only ON sessions USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE installation_secrets ENABLE ROW LEVEL SECURITY;
ALTER TABLE installation_secrets FORCE ROW LEVEL SECURITY;
CREATE POLICY system_only ON installation_secrets USING (app_is_system()) WITH CHECK (app_is_system());

ALTER TABLE login_throttle ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_throttle FORCE ROW LEVEL SECURITY;
CREATE POLICY system_only ON login_throttle USING (app_is_system()) WITH CHECK (app_is_system());
