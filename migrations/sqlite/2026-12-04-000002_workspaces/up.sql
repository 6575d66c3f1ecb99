-- Sub-workspaces, their settings, subscriptions of billing roots,
-- invitations and the audit log.

-- The account (root space) every space belongs to: account-wide queries and
-- isolation between accounts need it without walking parents.
ALTER TABLE spaces ADD COLUMN root_id TEXT NOT NULL DEFAULT '';
UPDATE spaces SET root_id = id WHERE parent_id IS NULL;
CREATE INDEX spaces_root_id ON spaces (root_id);

-- 'separate': a billing root with its own subscription (every root space);
-- 'inherited': uses its parent's seats and quota.
ALTER TABLE spaces ADD COLUMN billing TEXT NOT NULL DEFAULT 'separate';
ALTER TABLE spaces ADD COLUMN api_access BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE spaces SET api_access = TRUE WHERE parent_id IS NULL;
ALTER TABLE spaces ADD COLUMN strict_quota BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE spaces ADD COLUMN archived_at TIMESTAMP;
-- Subscription of a billing root (set by the operator's `plan set`).
ALTER TABLE spaces ADD COLUMN plan_name TEXT;
ALTER TABLE spaces ADD COLUMN seats INTEGER;
UPDATE spaces SET plan_name = 'Starter', seats = 5 WHERE parent_id IS NULL;
-- Bumped by every transaction that changes who holds a seat of this billing
-- root: on PostgreSQL the row lock it takes serialises them.
ALTER TABLE spaces ADD COLUMN seat_version BIGINT NOT NULL DEFAULT 0;

CREATE TABLE invitations (
    id TEXT PRIMARY KEY NOT NULL,
    space_id TEXT NOT NULL REFERENCES spaces (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by TEXT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX invitations_space_id ON invitations (space_id);
CREATE INDEX invitations_email ON invitations (email);

CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    root_id TEXT NOT NULL REFERENCES spaces (id),
    space_id TEXT NOT NULL REFERENCES spaces (id),
    actor_user_id TEXT REFERENCES users (id),
    actor_label TEXT NOT NULL,
    action TEXT NOT NULL,
    summary TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_events_root ON audit_events (root_id, created_at);
CREATE INDEX audit_events_space ON audit_events (space_id, created_at);
