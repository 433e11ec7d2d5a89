// Package api serves Conductor's REST API over net/http: it parses requests,
// calls a Service (the engine) and writes Conductor's answers — the same
// paths, parameters, status codes, text/plain ids, 204 and empty 200 answers
// and ErrorResponse bodies as Conductor OSS 3.32 (its controllers in
// rest/src/main/java/com/netflix/conductor/rest/controllers). Where Conductor answers 500 for a client's mistake (malformed JSON, a
// missing body, an unknown enum value, a non-numeric query parameter) this
// package answers 4xx with a message that says what to fix, and the request
// changes nothing; docs/compatibility.md lists those differences.
//
// Files: handler.go (Config, routes), middleware.go (recover, body limit,
// 404/405), respond.go (answers and errors), decode.go and params.go (request
// parsing), one file per Conductor resource (tasks.go, workflows.go,
// search.go, metadata.go, bulk.go, misc.go) and summary.go (Conductor's
// WorkflowSummary/TaskSummary text forms).
package api
