// Package ui is Baton's web UI: server-rendered pages at / on the same
// address as the API, for searching executions, looking into one (its
// diagram, tasks, timeline and data) and steering it, reading and editing
// definitions, and watching queues and workers.
//
// Pages are html/template, styled by one stylesheet, with one small script
// (static/app.js) for the live refresh of a running execution and the
// confirm dialog of actions; everything works without it but the refresh.
// Templates and static files are embedded with go:embed, so the binary
// serves the UI with no files beside it, no Node.js and no CDN.
//
// The UI reads and steers workflows through the same Service the API
// uses; definitions are saved through the API handler itself, in process,
// so that a pasted definition meets exactly the decoding and validation
// a client's would, and its errors are the API's.
//
// Every page is sent with a strict Content-Security-Policy (scripts and
// styles only from this origin, no inline handlers); forms that change
// something are refused unless they come from the same origin
// (http.CrossOriginProtection).
package ui
