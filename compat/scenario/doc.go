// Package scenario drives a Conductor-compatible server over plain HTTP and records what it
// observes as a trace.Trace.
//
// A Scenario registers its own uniquely named definitions (every name carries a per-run,
// per-scenario prefix, so scenarios run in parallel against one server without seeing each
// other), starts workflows and drives their tasks with raw poll and update calls. Every call is
// recorded: method, path template, status, content type and the decoded body. Effects that take
// time on the server (retry delays, timeouts found by Conductor's sweeper, callbacks) are waited
// for by repeating a call, unrecorded, until a condition holds; only the final exchange is
// recorded, so how long a server takes never changes the trace, only whether it gets there
// within the bound. Where timing itself is the behaviour (a retry delay), the scenario records a
// coarse note ("≈2s", "early") instead of a number.
//
// Scenarios ported from Conductor's own test-harness specs keep their inputs and expected
// outcomes and name the spec in Source; the outcomes are also recorded as checks, so a golden
// trace shows whether the real server still does what its own specs say. Waits are shortened
// (retryDelaySeconds 1, responseTimeoutSeconds 2, ...) to keep the suite fast: the oracle runs
// with its sweeper lowered to a 1 s cadence (compat/server/conductor.sh).
package scenario
