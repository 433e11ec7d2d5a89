// Package clicheck runs the `baton` command line's client commands
// (workflow, task, def) against a real Conductor server: the binary is
// built once from this tree and pointed at COMPAT_BASE_URL, so the exit
// codes and output shapes scripts rely on are checked against Conductor
// OSS as well as Baton. compat/run.sh runs it after compat/sdkcheck.
package clicheck
