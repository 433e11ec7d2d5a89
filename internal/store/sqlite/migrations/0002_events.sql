-- Event handlers (/api/event) and the messages of the conductor event
-- queues, kept until they are handled (acknowledged).

CREATE TABLE event_handlers (
    name   TEXT PRIMARY KEY,
    event  TEXT    NOT NULL,
    active INTEGER NOT NULL,
    json   TEXT    NOT NULL
);
CREATE INDEX event_handlers_event ON event_handlers (event);

CREATE TABLE event_messages (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT, -- publish order
    key          TEXT    NOT NULL UNIQUE,           -- the publisher's unique key, used to acknowledge
    queue        TEXT    NOT NULL,
    message_id   TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    created_time INTEGER NOT NULL
);
