// Package client calls a Conductor server's REST API: Conductor OSS, Orkes
// Conductor, or Baton's own server.
//
// One APIClient serves a whole process. It hands out a typed client per
// resource, each method taking a context.Context first:
//
//	api := client.NewAPIClient(settings.NewHttpSettings("http://localhost:8080/api"))
//	id, err := api.Workflows().StartByName(ctx, "orders", map[string]any{"orderId": 42}, client.StartOptions{})
//
// The typed clients:
//
//   - Tasks (/api/tasks): Poll, BatchPoll (long poll), Update, UpdateV2
//     (report a result and receive the next task in one round trip),
//     UpdateByRefName, Get, AddLog, Logs, QueueSize(s), PollData, Search.
//   - Workflows (/api/workflow): Start, StartByName, Execute, Get, Status,
//     Search, ByCorrelationID, Running, Terminate, Pause, Resume, Restart,
//     Retry, Rerun, SkipTask, Remove.
//   - Metadata (/api/metadata): task definitions and workflow definitions.
//   - Bulk (/api/workflow/bulk): one operation on many workflows.
//
// Method names are Go-style; each doc comment names the official Go SDK's
// method where it differs, so `go doc client | grep StartWorkflow` finds it.
//
// # Answers
//
// Answers are taken as Conductor gives them: text/plain ids, 204 and empty
// 200 bodies, [] for empty lists. Calls that may legitimately find nothing
// say so in their result (Poll returns nil, BatchPoll an empty slice) rather
// than with an error.
//
// # Errors
//
// A non-2xx answer is an *APIError with the status and Conductor's error body
// (message, validation errors, retryable). Branch on it with errors.Is and
// ErrNotFound, ErrConflict, ErrUnsupported or ErrUnauthorized, and ask
// (*APIError).Retryable whether trying again may help. Transport failures are
// returned wrapped as "conductor: METHOD PATH: ...", so errors.Is still finds
// context.DeadlineExceeded and friends. Bad arguments (an empty id, a nil
// request) are reported before any request is sent. Ids and names are
// escaped as one path segment each; "." and ".." are refused.
//
// # Authentication
//
// With a key (Config.Auth or NewAPIClientWithAuth) the client exchanges it
// at POST /api/token for a token sent as X-Authorization. The token is
// shared by all requests and renewed before its JWT expiry (less
// Config.TokenRefreshMargin), or once when the server answers 401/403.
// Concurrent callers wait for a single fetch. A failed fetch fails the call:
// no request goes out without its token.
//
// # Connections and timeouts
//
// Clients without their own Config.HTTPClient share one keep-alive
// net/http transport sized for hundreds of concurrent pollers: the proxy from
// the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), HTTP/2 when TLS offers
// it, idle connections closed after 90 s, answer heads bounded to 64 KiB.
// Redirects are followed by net/http; the X-Authorization token goes only to
// the host it was issued for. Every request carries a context deadline:
// HttpSettings.Timeout, to which the time the server may hold it on purpose
// (the long-poll timeout of BatchPoll, the wait of Execute) is added, or the
// caller's sooner deadline.
package client
