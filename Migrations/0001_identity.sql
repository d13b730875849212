CREATE TABLE tenants (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), slug text, name text);
CREATE FUNCTION app_tenant_id() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$;
CREATE FUNCTION app_is_system() RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT coalesce(current_setting('app.scope', true), '') = 'system' $$;
