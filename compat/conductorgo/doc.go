// Package conductorgo runs conductor-go v1.5.4's own example program
// (examples/hello_world) and the snippets of its README and docs
// (docs/workers_sdk.md, docs/workflow_sdk.md), ported to Baton by changing
// their imports, against a Baton server: one directory per program, built
// and run by TestProgramsRun. Every change beyond the import paths is
// marked "Baton:" in the program and listed in
// docs/migrating-from-conductor-go.md.
//
// The programs run against an in-process server (batontest), or against
// the server at COMPAT_BASE_URL (e.g. http://localhost:8080/api) when it
// is set.
package conductorgo
