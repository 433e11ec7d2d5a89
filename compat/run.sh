#!/usr/bin/env bash
# Runs the compatibility suite (compat/scenario) against the real Conductor OSS server and against
# Baton's server (the schedule_* scenarios on a second real server with its scheduler module on).
# Prints a scenario × target table and exits non-zero on any unexpected difference
# (or when a server cannot be started).
#
#   compat/run.sh                 run against every target
#   compat/run.sh -update         re-record the golden traces from the real server (review the diff!)
#   COMPAT_RUN='spec_simple_.*' compat/run.sh   only the scenarios matching a regexp
#
# Environment: COMPAT_TARGETS (default "conductor baton"), COMPAT_OUT (results dir, default a
# temp dir), COMPAT_PARALLEL (scenarios at once, default 10: more makes Conductor defer decides
# under load and its traces flaky), and everything compat/server/conductor.sh reads (JAVA21_HOME,
# BATON_CACHE, ...).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
UPDATE=""
[[ "${1:-}" == "-update" ]] && UPDATE="-update"
TARGETS="${COMPAT_TARGETS:-conductor baton}"
[[ -n "$UPDATE" ]] && TARGETS="conductor" # golden traces come from the real server only
OUT="${COMPAT_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/baton-compat.XXXXXX")}"
mkdir -p "$OUT"
RUN_RE="TestScenarios"
[[ -n "${COMPAT_RUN:-}" ]] && RUN_RE="TestScenarios/(${COMPAT_RUN})\$"

log() { printf 'compat/run.sh: %s\n' "$*" >&2; }

STATE_FILE=""
BATON_PID=""
cleanup() {
  if [[ -n "$STATE_FILE" ]]; then "$HERE/server/conductor.sh" stop "$STATE_FILE" || true; STATE_FILE=""; fi
  if [[ -n "$BATON_PID" ]]; then kill "$BATON_PID" 2>/dev/null || true; wait "$BATON_PID" 2>/dev/null || true; BATON_PID=""; fi
}
trap cleanup EXIT INT TERM

# suite TARGET BASE_URL [GO TEST ARGS...]: runs the scenarios (those RUN_RE selects, or those the
# extra go test arguments select), leaves $OUT/TARGET.json and $OUT/TARGET.log. A TARGET of the form
# KIND-NAME (conductor-scheduler) is a server of that kind.
suite() {
  local target="$1" url="$2" rc=0 t0
  shift 2
  local sel=(-run "$RUN_RE")
  [[ $# -gt 0 ]] && sel=("$@")
  t0=$(date +%s)
  log "running the scenarios against $target ($url)"
  (cd "$HERE" && COMPAT_BASE_URL="$url" COMPAT_TARGET="${target%%-*}" COMPAT_RESULTS="$OUT/$target.json" \
     COMPAT_TRACES="$OUT/traces-$target" go test -count=1 "${sel[@]}" -parallel "${COMPAT_PARALLEL:-10}" -timeout 15m . $UPDATE) \
     >"$OUT/$target.log" 2>&1 || rc=$?
  grep -E '^(---|    ---|ok|FAIL)|unexpected difference|aborted|CHECK FAILED' "$OUT/$target.log" | grep -v -- '--- PASS' | head -80 >&2 || true
  log "$target: exit $rc after $(( $(date +%s) - t0 )) s (log: $OUT/$target.log)"
  if [[ "$rc" != 0 && "$target" == conductor && -z "$UPDATE" ]]; then
    # the second verdicts replace the first, exit status included
    rc=0
    rerun_conductor "$url" || rc=$?
  fi
  return "$rc"
}

# rerun_conductor BASE_URL: the real Conductor fails at times under the suite's parallel load: its
# sweeper and a decide the scenario asks for act on one workflow at once and the loser's stale copy
# wins (a timed-out task ends CANCELED), its SQLite file answers a write with a 500
# (SQLITE_BUSY_SNAPSHOT), which aborts the scenario, or its delay queues fall seconds behind (a
# WAIT or a retry delay ends >5 s late) and a parent misses a sub-workflow's retry. The golden
# traces are what it does when none of that happens, so scenarios that failed against it are run
# again with little parallelism, up to COMPAT_RERUNS (default 3) more times, each time only those
# still failing, and the last results replace the first. Baton is never run twice. Returns non-zero
# when any still fails, or when the first run failed without naming at most COMPAT_RERUN_MAX
# (default 20) failed scenarios (a build failure, a panic, a broken server).
rerun_conductor() {
  local url="$1" log="$OUT/conductor.log" failed n rc=1 round
  for round in $(seq 1 "${COMPAT_RERUNS:-3}"); do
    failed="$(grep -oE '^    --- FAIL: TestScenarios/[A-Za-z0-9_]+' "$log" | sed 's|.*TestScenarios/||' | sort -u | paste -sd'|' -)"
    n="$(tr '|' '\n' <<<"$failed" | grep -c . || true)"
    if [[ -z "$failed" || "$n" -gt "${COMPAT_RERUN_MAX:-20}" ]] || grep -qE '^panic:|\[build failed\]' "$log"; then
      return 1
    fi
    log "conductor: run $((round + 1)) of $failed (the real server races with its sweeper and falls behind at times)"
    rc=0
    (cd "$HERE" && COMPAT_BASE_URL="$url" COMPAT_TARGET=conductor COMPAT_RESULTS="$OUT/conductor.rerun$round.json" \
       COMPAT_TRACES="$OUT/traces-conductor" go test -count=1 -run "TestScenarios/($failed)\$" -parallel 4 -timeout 5m .) \
       >"$OUT/conductor.rerun$round.log" 2>&1 || rc=$?
    log="$OUT/conductor.rerun$round.log"
    grep -E '^(---|    ---|ok|FAIL)|unexpected difference|aborted|CHECK FAILED' "$log" | grep -v -- '--- PASS' | head -40 >&2 || true
    python3 - "$OUT/conductor.json" "$OUT/conductor.rerun$round.json" <<'PY'
import json, sys
first, again = sys.argv[1], sys.argv[2]
results = json.load(open(first))
rerun = {v["scenario"]: v for v in json.load(open(again))}
json.dump([rerun.get(v["scenario"], v) for v in results], open(first, "w"), indent=1)
PY
    log "conductor: run $((round + 1)) of $failed: exit $rc (log: $log)"
    [[ "$rc" == 0 ]] && return 0
  done
  return "$rc"
}

# The schedule_* scenarios need Conductor's scheduler module, whose pollers add enough load to the
# oracle's one SQLite file to make the racy scenarios above fail more often than the rerun can
# absorb. They run on a second oracle of their own, with the scheduler on
# (oracle-scheduler.properties); the others on one with it off, as conductor.sh leaves it.
# SCHED_RUN selects the schedule_* scenarios that COMPAT_RUN selects ("" for none).
SCHED_NAMES="$(grep -oE 'Name: "schedule_[a-z0-9_]+"' "$HERE/scenario/schedules.go" | sed -E 's/Name: "(.*)"/\1/')"
SCHED_RUN=""
for n in $SCHED_NAMES; do
  if [[ -z "${COMPAT_RUN:-}" ]] || [[ "$n" =~ ^(${COMPAT_RUN})$ ]]; then SCHED_RUN="${SCHED_RUN:+$SCHED_RUN|}$n"; fi
done

# scheduler_suite: the selected schedule_* scenarios on an oracle with the scheduler on; their
# verdicts are added to $OUT/conductor.json.
scheduler_suite() {
  local start_out rc=0
  start_out="$(CONDUCTOR_EXTRA_PROPS="$OUT/oracle-scheduler.properties" "$HERE/server/conductor.sh" start)" || {
    log "the real Conductor server with its scheduler did not start (see above)"; return 1; }
  eval "$(grep -E '^(BASE_URL|STATE_FILE)=' <<<"$start_out")"
  suite conductor-scheduler "$BASE_URL" -run "TestScenarios/($SCHED_RUN)\$" || rc=$?
  "$HERE/server/conductor.sh" stop "$STATE_FILE" || true
  STATE_FILE=""
  if [[ -s "$OUT/conductor-scheduler.json" ]]; then
    python3 - "$OUT/conductor.json" "$OUT/conductor-scheduler.json" <<'PY'
import json, os, sys
main, sched = sys.argv[1], sys.argv[2]
results = json.load(open(main)) if os.path.exists(main) else []
results += json.load(open(sched))
json.dump(results, open(main, "w"), indent=1)
PY
  fi
  return "$rc"
}

declare -A RC=()
for target in $TARGETS; do
  case "$target" in
    conductor)
      start_out="$(CONDUCTOR_EXTRA_PROPS="$HERE/oracle.properties" "$HERE/server/conductor.sh" start)" || {
        log "the real Conductor server did not start (see above)"; exit 1; }
      eval "$(grep -E '^(BASE_URL|STATE_FILE)=' <<<"$start_out")"
      RC[conductor]=0
      suite conductor "$BASE_URL" -run "$RUN_RE" -skip 'TestScenarios/schedule_' || RC[conductor]=$?
      # ---- step: Baton's SDK against this real server (compat/sdkcheck; COMPAT_SDKCHECK=0 skips) ----
      if [[ -z "$UPDATE" && "${COMPAT_SDKCHECK:-1}" != 0 ]]; then
        log "running the SDK checks (compat/sdkcheck) against conductor ($BASE_URL)"
        RC[sdkcheck]=0
        (cd "$HERE" && COMPAT_BASE_URL="$BASE_URL" go test -count=1 -timeout 5m ./sdkcheck/) \
          >"$OUT/sdkcheck.log" 2>&1 || RC[sdkcheck]=$?
        grep -E '^(--- |    --- |ok|FAIL|panic)|Error:|Messages:' "$OUT/sdkcheck.log" | grep -v -- '--- PASS' | head -60 >&2 || true
        log "sdkcheck: exit ${RC[sdkcheck]} (log: $OUT/sdkcheck.log)"
      fi
      # ---- end of step: sdkcheck --------------------------------------------------------------
      # ---- step: the `baton` CLI's client commands against this real server (COMPAT_CLICHECK=0 skips) ----
      if [[ -z "$UPDATE" && "${COMPAT_CLICHECK:-1}" != 0 ]]; then
        log "running the CLI checks (compat/clicheck) against conductor ($BASE_URL)"
        RC[clicheck]=0
        (cd "$HERE" && COMPAT_BASE_URL="$BASE_URL" go test -count=1 -timeout 5m ./clicheck/) \
          >"$OUT/clicheck.log" 2>&1 || RC[clicheck]=$?
        grep -E '^(--- |    --- |ok|FAIL|panic)|Error:|Messages:' "$OUT/clicheck.log" | grep -v -- '--- PASS' | head -60 >&2 || true
        log "clicheck: exit ${RC[clicheck]} (log: $OUT/clicheck.log)"
      fi
      # ---- end of step: clicheck --------------------------------------------------------------
      "$HERE/server/conductor.sh" stop "$STATE_FILE" || true
      STATE_FILE=""
      if [[ -n "$SCHED_RUN" ]]; then
        cat "$HERE/oracle.properties" "$HERE/oracle-scheduler.properties" >"$OUT/oracle-scheduler.properties"
        RC[conductor-scheduler]=0
        scheduler_suite || RC[conductor-scheduler]=$?
      fi
      ;;
    baton)
      # ---- Baton's server: built from this tree, on a free loopback port, in-memory store ---------
      go build -o "$OUT/baton" "$ROOT/cmd/baton" || { log "cmd/baton does not build"; exit 1; }
      port="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
      "$OUT/baton" server --addr "127.0.0.1:$port" --db :memory: >"$OUT/baton-server.log" 2>&1 &
      BATON_PID=$!
      for _ in $(seq 1 300); do curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && break; sleep 0.1; done
      curl -fsS -o /dev/null "http://127.0.0.1:$port/health" || { log "baton server did not start (see $OUT/baton-server.log)"; exit 1; }
      RC[baton]=0
      suite baton "http://127.0.0.1:$port/api" || RC[baton]=$?
      kill "$BATON_PID" 2>/dev/null || true; wait "$BATON_PID" 2>/dev/null || true; BATON_PID=""
      # ----------------------------------------------------------------------------------------
      ;;
    *) log "unknown target $target"; exit 2 ;;
  esac
done

# Summary: scenario × target.
python3 - "$OUT" $TARGETS <<'PY'
import json, os, sys
out, targets = sys.argv[1], sys.argv[2:]
res = {}
for t in targets:
    p = os.path.join(out, t + ".json")
    if os.path.exists(p):
        for v in json.load(open(p)):
            res.setdefault(v["scenario"], {})[t] = v
names = sorted(res)
w = max([len(n) for n in names] + [8])
print("%-*s  %s" % (w, "scenario", "  ".join("%-10s" % t for t in targets)))
totals = {t: [0, 0] for t in targets}
for n in names:
    cells = []
    for t in targets:
        v = res[n].get(t)
        if v is None:
            cells.append("%-10s" % "-")
            continue
        ok = v["pass"]
        totals[t][0 if ok else 1] += 1
        mark = ("pass" if ok else "FAIL") + (" (%d allowed)" % len(v.get("allowed") or []) if v.get("allowed") else "")
        cells.append("%-10s" % mark)
    print("%-*s  %s" % (w, n, "  ".join(cells)))
for t in targets:
    p, f = totals[t]
    if p + f:
        print("%s: %d passed, %d failed" % (t, p, f))
PY

# ---- official SDKs (compat/sdk) ----------------------------------------------------------------
# conductor-go, @io-orkes/conductor-javascript and conductor-python, unchanged and pinned, against
# the same targets (compat/sdk/README.md). It starts its own servers. COMPAT_SDK=0 skips it.
if [[ "${COMPAT_SDK:-1}" != 0 && -z "$UPDATE" ]]; then
  RC[sdk]=0
  # With Baton among the targets, the SDKs also run against it with authentication on (Baton only:
  # Conductor OSS has none).
  sdk_targets="$TARGETS"
  [[ " $TARGETS " == *" baton "* ]] && sdk_targets+=" baton-auth"
  SDK_TARGETS="${SDK_TARGETS:-$sdk_targets}" SDK_OUT="$OUT/sdk" "$HERE/sdk/run.sh" || RC[sdk]=$?
fi
# -----------------------------------------------------------------------------------------------

status=0
for target in "${!RC[@]}"; do
  [[ "${RC[$target]}" == 0 ]] || status=1
done
log "results in $OUT"
exit "$status"
