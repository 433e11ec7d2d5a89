// Package trace holds the compatibility suite's observable record of one scenario run (a Trace),
// and the three pure operations on it: normalising the parts that legitimately vary between runs
// and servers (ids, times, host names, set orders), diffing a trace against a golden one, and
// deciding which differences an allowlist excuses.
//
// Nothing here talks to a server; package scenario produces traces, and the suite's test in the
// module root compares them.
package trace
