-- Every change that can alter who a session or API token stands for notifies `patchbay_identity`,
-- so each node drops its in-memory identity cache, whichever node or command made the change.
-- Notifications are sent on commit and only then; within a transaction repeats fold into one.
-- Routine writes that cannot change an identity (a session's last_seen_at touch, which only moves
-- expiry later, or a token's last_used_at) stay silent.

CREATE FUNCTION notify_identity_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    PERFORM pg_notify('patchbay_identity', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER sessions_identity_deleted AFTER DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION notify_identity_change();
CREATE TRIGGER sessions_identity_changed AFTER UPDATE ON sessions
    FOR EACH ROW
    WHEN (NEW.tenant_id IS DISTINCT FROM OLD.tenant_id
          OR NEW.user_id <> OLD.user_id
          OR NEW.token_hash <> OLD.token_hash
          OR NEW.idle_expires_at < OLD.idle_expires_at
          OR NEW.absolute_expires_at < OLD.absolute_expires_at)
    EXECUTE FUNCTION notify_identity_change();

CREATE TRIGGER api_tokens_identity_deleted AFTER DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION notify_identity_change();
CREATE TRIGGER api_tokens_identity_changed AFTER UPDATE ON api_tokens
    FOR EACH ROW
    WHEN ((NEW.revoked_at, NEW.expires_at, NEW.role, NEW.name, NEW.tenant_id, NEW.created_by, NEW.token_hash,
           NEW.agent_id)
          IS DISTINCT FROM
          (OLD.revoked_at, OLD.expires_at, OLD.role, OLD.name, OLD.tenant_id, OLD.created_by, OLD.token_hash,
           OLD.agent_id))
    EXECUTE FUNCTION notify_identity_change();

CREATE TRIGGER memberships_identity_changed AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION notify_identity_change();

CREATE TRIGGER users_identity_deleted AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_identity_change();
CREATE TRIGGER users_identity_changed AFTER UPDATE ON users
    FOR EACH ROW
    WHEN ((NEW.email, NEW.name, NEW.is_superuser) IS DISTINCT FROM (OLD.email, OLD.name, OLD.is_superuser))
    EXECUTE FUNCTION notify_identity_change();

CREATE TRIGGER tenants_identity_deleted AFTER DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION notify_identity_change();
CREATE TRIGGER tenants_identity_changed AFTER UPDATE ON tenants
    FOR EACH ROW
    WHEN ((NEW.slug, NEW.name) IS DISTINCT FROM (OLD.slug, OLD.name))
    EXECUTE FUNCTION notify_identity_change();
