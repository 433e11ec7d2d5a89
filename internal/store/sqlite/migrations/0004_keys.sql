-- Authentication: the application keys that POST /api/token exchanges for
-- tokens, and the server's own secrets (the key that signs those tokens).

-- A key's secret is never stored, only its SHA-256: secrets are 256 random
-- bits, so a fast hash is enough (nothing to guess from). revoke_time is 0
-- while the key is active; times are Unix milliseconds.
CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    name          TEXT    NOT NULL,
    secret_sha256 BLOB    NOT NULL,
    create_time   INTEGER NOT NULL,
    revoke_time   INTEGER NOT NULL DEFAULT 0
);

-- Random secrets the server generates on first use and keeps, by name.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
