// Package auth is the server's authentication, compatible with how
// Conductor's SDKs authenticate with Orkes: an application key (id and
// secret) is exchanged at POST /api/token for a token, a JWT that every
// later request carries in X-Authorization.
//
// Keys are created, listed and revoked with Keys (the `baton keys` command);
// only a key's SHA-256 is stored. Tokens are HS256 JWTs signed with a
// random key the server generates once and keeps in its database, so
// tokens survive a restart. A key revoked by the server's process stops
// working at once; one revoked by another process (`baton keys revoke`
// beside a running server) within RecheckInterval (1s), as a key found
// active is read again at most that often.
//
// Answers follow Orkes's: 401 with error "EXPIRED_TOKEN" or
// "INVALID_TOKEN" (the codes on which the JavaScript and Python SDKs fetch
// a new token and retry), inside Conductor's ErrorResponse JSON.
package auth
