-- Scheduled health checks: a connector may ask to be tested every N minutes while it is active. Off
-- by default (health_check_minutes IS NULL). Any node claims due checks with FOR UPDATE SKIP LOCKED
-- and moves next_health_check_at forward in the same statement, so two nodes never run the same
-- check. Results go to the last_test_* columns of 0003, like a test someone started.

ALTER TABLE connectors
    -- Minutes between two checks, from one minute to one week; NULL: no scheduled checks.
    ADD COLUMN health_check_minutes integer
        CHECK (health_check_minutes IS NULL OR health_check_minutes BETWEEN 1 AND 10080),
    -- When the next check is due; set whenever checks are turned on, and by every claim.
    ADD COLUMN next_health_check_at timestamptz,
    -- When a scheduled check last finished (tests started by people leave it alone).
    ADD COLUMN last_health_check_at timestamptz,
    -- Failed tests since the last success, or since the connector last went to error: a few in a row
    -- move it to error, one success resets it.
    ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    ADD CHECK (health_check_minutes IS NOT NULL OR next_health_check_at IS NULL);

-- Finding due checks across tenants: only active connectors with checks turned on are indexed.
CREATE INDEX connectors_health_checks_due ON connectors (next_health_check_at)
    WHERE health_check_minutes IS NOT NULL AND status = 'active';
