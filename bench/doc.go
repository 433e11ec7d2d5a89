// Command bench measures Baton against its peers in one run and writes
// docs/benchmarks.md with a PNG chart beside it:
//
//  1. worker drain: N queued one-task workflows worked by Baton's
//     WorkerHost, conductor-go v1.5.4's TaskRunner and a minimal raw loop,
//     each in its own child process, at the same concurrency: tasks/s and
//     the worker's CPU per task; over plain HTTP and over HTTPS (a
//     self-signed certificate written at start, which the children trust
//     through SSL_CERT_FILE; -tls=false leaves HTTPS out);
//  2. pickup latency, one task at a time: workflow start → handler, and
//     handler → the server's acknowledgement; plain HTTP and HTTPS;
//  3. servers: workflows/s and latency with Baton's workers on Baton
//     (SQLite :memory: and file) and on the real Conductor OSS 3.32.1
//     (compat/server/conductor.sh) on its SQLite file and on PostgreSQL
//     (bench/postgres.sh starts a throwaway cluster, installing Debian's
//     postgresql package when the machine has none), for three-task
//     workflows and for a system-task workflow (SWITCH → FORK_JOIN → JOIN →
//     DO_WHILE of INLINE and JSON_JQ_TRANSFORM), which every server must
//     first run to its expected output; start → healthy, resident memory;
//  4. scaling: worker concurrency 1–128, 1–16 workflow starters, CPU per
//     task against N.
//
// Contenders run in alternating order over several rounds; tables give the
// median and (min–max). It is its own module so that conductor-go and
// gonum/plot stay out of Baton's.
//
//	cd bench && go run .            # the full run, ~20 minutes on 2 cores
//	cd bench && go run . -short     # 1–2 minutes, every table and ratio
//	cd bench && go run . -only drain -profile /tmp/prof   # CPU profiles
//
// To compare Baton's worker with an earlier commit's in the same run, build
// the bench there and pass it: its WorkerHost joins measurement 1 as
// "before" (the child-worker protocol is the same since the bench began).
//
//	git worktree add /tmp/before COMMIT && (cd /tmp/before/bench && go build -o /tmp/bench-before .)
//	cd bench && go run . -before-bin /tmp/bench-before -before-label COMMIT
//
// The soak runs apart from the comparison: a `baton server` child on a
// database file under a steady mix of workflows (SIMPLE chains with
// workers in the harness; SWITCH, INLINE, JSON_JQ_TRANSFORM, FORK_JOIN,
// DO_WHILE, WAIT and SUB_WORKFLOW), SIGKILLed and restarted every few
// minutes, sampled into soak.csv and soak.png (RSS, goroutines from
// /metrics, database and WAL size, throughput); it fails unless every
// workflow it started is seen finished, by id, and PRAGMA integrity_check
// passes. It passes --retention to the server when `baton server --help`
// lists it.
//
//	cd bench && go run . soak -duration 30m -kill-every 5m   # writes ../docs/soak.{csv,png,md}
//	cd bench && go run . soak -duration 1m -kill-every 20s -out /tmp/soak
//
// `go run . -h` lists every flag (`go run . soak -h` the soak's). The hand-written part of the report
// between its notes markers is kept when the report is written again.
package main
