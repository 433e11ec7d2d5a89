// Package compat is Baton's compatibility suite: black-box scenarios (package scenario) run over
// HTTP against a Conductor-compatible server, their traces compared with golden traces recorded
// from the real Conductor OSS 3.32.1 server (testdata/conductor), allowing only the differences
// listed with a reason in allowlist.json.
//
//	./run.sh                                 # real server: start, run, stop (and Baton, once hooked in)
//	COMPAT_BASE_URL=http://127.0.0.1:8080/api COMPAT_TARGET=baton go test ./...
//	go test . -base-url URL -target conductor -update    # re-record the golden traces
//
// With neither a base URL nor COMPAT=off the suite fails: in CI a missing server must not look
// like a pass. The module is nested so the main module does not depend on what the suite needs.
package compat
