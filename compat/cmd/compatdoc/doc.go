// Command compatdoc writes the generated parts of docs/compatibility.md from
// the last run of the compatibility suite.
//
//	go run ./cmd/compatdoc -results DIR [-doc ../docs/compatibility.md]
//
// DIR is compat/run.sh's output directory (COMPAT_OUT): the scenario
// verdicts of each target (conductor.json, baton.json, written through
// COMPAT_RESULTS), the official SDK checks' logs (sdk/<target>-<sdk>.log)
// and the log of Baton's SDK against the real server (sdkcheck.log). It
// also reads the golden traces (testdata/conductor), the allowlist
// (allowlist.json) and the pinned SDK versions (sdk/go/go.mod,
// sdk/js/package.json, sdk/python/requirements.in), relative to the compat
// directory it runs in.
//
// The document keeps its hand-written text. compatdoc replaces only what
// lies between marker comments of the form
//
//	<!-- compatdoc:begin NAME -->
//	<!-- compatdoc:end NAME -->
//
// for NAME summary (the matrix of endpoints and features × servers, and the
// SDKs checked) and allowlist (every intended difference with its reason).
// A document without both pairs is refused rather than rewritten. The output
// depends only on the inputs (no dates, no durations), so a run that changes
// nothing leaves the file as it was.
package main
