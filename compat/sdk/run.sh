#!/usr/bin/env bash
# Runs the official Conductor SDKs, unchanged and pinned, against Baton's server and against the real
# Conductor OSS server (the latter proves the checks themselves: a check that fails there is a bug in
# the check). Prints one line per SDK × server and exits non-zero if any check failed or a server
# could not be started.
#
#   compat/sdk/run.sh                                  both servers, all three SDKs
#   SDK_TARGETS=baton compat/sdk/run.sh                Baton's server only (no JVM needed)
#   SDK_TARGETS=baton-auth compat/sdk/run.sh           Baton with authentication on: each SDK with a key,
#                                                      then with a wrong secret (must be refused)
#   SDK_TARGETS=url SDK_BASE_URL=http://127.0.0.1:8080/api compat/sdk/run.sh   any running server
#   SDKS="go python" compat/sdk/run.sh                 a subset of the SDKs
#
# Installs are driven by the project's files: the nested Go module sdk/go (go.mod + go.sum,
# -mod=readonly), sdk/js (package.json + package-lock.json, `npm ci --legacy-peer-deps`) and
# sdk/python (requirements.txt with hashes, into a venv cached under $BATON_CACHE keyed by the
# file's hash).
#
# Environment: SDK_TARGETS (default "baton baton-auth conductor"), SDKS (default "go js python"), SDK_OUT
# (logs, default a temp dir), SDK_CHECK_TIMEOUT (seconds per check, default 120),
# SDK_CHECK_WORKFLOWS (workflows each check starts, default 5), BATON_CACHE (default
# ~/.cache/baton), and what compat/server/conductor.sh reads (JAVA21_HOME, ...).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGETS="${SDK_TARGETS:-baton baton-auth conductor}"
SDK_LIST="${SDKS:-go js python}"
OUT="${SDK_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/baton-sdk.XXXXXX")}"
CACHE="${BATON_CACHE:-$HOME/.cache/baton}"
CHECK_TIMEOUT="${SDK_CHECK_TIMEOUT:-120}"
export SDK_CHECK_TIMEOUT="$CHECK_TIMEOUT"
mkdir -p "$OUT"

log() { printf 'compat/sdk/run.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

BATON_PID=""
STATE_FILE=""
CHECK_PGID=""
# shellcheck disable=SC2317 # called by the trap
cleanup() {
  if [[ -n "$CHECK_PGID" ]]; then kill -KILL -- "-$CHECK_PGID" 2>/dev/null || true; CHECK_PGID=""; fi
  if [[ -n "$BATON_PID" ]]; then kill "$BATON_PID" 2>/dev/null || true; wait "$BATON_PID" 2>/dev/null || true; BATON_PID=""; fi
  if [[ -n "$STATE_FILE" ]]; then "$ROOT/compat/server/conductor.sh" stop "$STATE_FILE" || true; STATE_FILE=""; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- installs (once per run) -----------------------------------------------------------------
declare -A RUNNER=()
install_go() {
  log "go: building the check against conductor-go $(awk '$1=="github.com/conductor-sdk/conductor-go"{print $2}' "$HERE/go/go.mod")"
  (cd "$HERE/go" && go build -mod=readonly -o "$OUT/sdkcheck-go" .) || die "go: the nested module compat/sdk/go did not build"
  RUNNER[go]="$OUT/sdkcheck-go"
}
install_js() {
  command -v node >/dev/null || die "js: node not found (Node >= 18 is needed)"
  log "js: npm ci in compat/sdk/js (node $(node --version))"
  (cd "$HERE/js" && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error >"$OUT/npm-ci.log" 2>&1) || {
    tail -20 "$OUT/npm-ci.log" >&2; die "js: npm ci failed (log: $OUT/npm-ci.log)"; }
  RUNNER[js]="node $HERE/js/check.mjs"
}
install_python() {
  local py req_hash venv
  py="$(command -v python3)" || die "python: python3 not found"
  req_hash="$(cat "$HERE/python/requirements.txt" <("$py" -c 'import sys;print(sys.version)') | sha256sum | cut -c1-16)"
  venv="$CACHE/sdk-python-venv-$req_hash"
  if [[ ! -f "$venv/.installed" ]]; then
    log "python: creating $venv from compat/sdk/python/requirements.txt"
    rm -rf "$venv"
    mkdir -p "$CACHE"
    "$py" -m venv "$venv" || die "python: python3 -m venv failed (Debian needs the python3-venv package)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps \
      -r "$HERE/python/requirements.txt" >"$OUT/pip-install.log" 2>&1 || {
      tail -20 "$OUT/pip-install.log" >&2; die "python: pip install failed (log: $OUT/pip-install.log)"; }
    touch "$venv/.installed"
  fi
  RUNNER[python]="$venv/bin/python $HERE/python/check.py"
}
for sdk in $SDK_LIST; do
  case "$sdk" in
    go) install_go ;; js) install_js ;; python) install_python ;;
    *) die "unknown SDK $sdk (use go, js, python)" ;;
  esac
done

# ---- servers ---------------------------------------------------------------------------------
# start_baton [server flags...]: builds cmd/baton and starts it on a free loopback port, with an
# in-memory store unless the flags name a --db.
start_baton() {
  log "baton: building cmd/baton and starting it (${*:---db :memory:})"
  (cd "$ROOT" && go build -o "$OUT/baton" ./cmd/baton) || die "baton: go build ./cmd/baton failed"
  [[ $# -gt 0 ]] || set -- --db :memory:
  "$OUT/baton" server --addr 127.0.0.1:0 "$@" >"$OUT/baton-server.out" 2>"$OUT/baton-server.log" &
  BATON_PID=$!
  local url="" _
  for _ in $(seq 1 300); do # 30 s
    url="$(sed -n 's/^Conductor API: //p' "$OUT/baton-server.out")"
    [[ -n "$url" ]] && break
    kill -0 "$BATON_PID" 2>/dev/null || { cat "$OUT/baton-server.log" >&2; die "baton: the server exited at start"; }
    sleep 0.1
  done
  [[ -n "$url" ]] || die "baton: the server printed no URL within 30 s (see $OUT/baton-server.log)"
  curl -fsS -o /dev/null "${url%/api}/health" || die "baton: GET ${url%/api}/health failed"
  BASE_URL="$url"
}
stop_baton() {
  kill "$BATON_PID" 2>/dev/null || true
  wait "$BATON_PID" 2>/dev/null || true
  BATON_PID=""
}

# ---- checks ----------------------------------------------------------------------------------
declare -a RESULTS=()
declare -a CHECK_ENV=() # extra VAR=value for the checks (the auth runs' key)
FAILED=0
# run_check TARGET SDK URL: one check in its own process group (a failed Python check must not leave
# worker processes behind), bounded by SDK_CHECK_TIMEOUT plus a grace period.
run_check() {
  local target="$1" sdk="$2" url="$3" logf="$OUT/$1-$2.log" rc=0 t0 ms secs
  t0=$(date +%s%N)
  # shellcheck disable=SC2086 # RUNNER entries are "interpreter script"
  env "${CHECK_ENV[@]}" CONDUCTOR_SERVER_URL="$url" setsid timeout -k 5 $((CHECK_TIMEOUT + 30)) ${RUNNER[$sdk]} >"$logf" 2>&1 &
  CHECK_PGID=$!
  wait "$CHECK_PGID" || rc=$?
  kill -KILL -- "-$CHECK_PGID" 2>/dev/null || true
  CHECK_PGID=""
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  secs="$((ms / 1000)).$(( (ms % 1000) / 100 ))"
  if [[ $rc == 0 ]] && grep -q "^sdkcheck $sdk: PASS" "$logf"; then
    RESULTS+=("$(printf '%-13s %-7s pass  %6s s' "$target" "$sdk" "$secs")")
  else
    FAILED=1
    RESULTS+=("$(printf '%-13s %-7s FAIL  %6s s  (exit %s, log %s)' "$target" "$sdk" "$secs" "$rc" "$logf")")
    log "$target × $sdk failed (exit $rc); last lines of $logf:"
    grep -v -E ' (INFO|DEBUG) ' "$logf" | tail -25 >&2 || true
  fi
}

run_all() {
  local target="$1" url="$2" sdk
  log "running ${SDK_LIST} against $target ($url)"
  for sdk in $SDK_LIST; do
    run_check "$target" "$sdk" "$url"
  done
}

for target in $TARGETS; do
  case "$target" in
    baton)
      start_baton
      run_all baton "$BASE_URL"
      stop_baton
      ;;
    conductor)
      start_out="$("$ROOT/compat/server/conductor.sh" start)" || die "the real Conductor server did not start (see above)"
      eval "$(grep -E '^(BASE_URL|STATE_FILE)=' <<<"$start_out")"
      run_all conductor "$BASE_URL"
      "$ROOT/compat/server/conductor.sh" stop "$STATE_FILE" || true
      STATE_FILE=""
      ;;
    baton-auth)
      # Conductor OSS has no authentication, so these runs are against Baton only: a key made with
      # `baton keys create`, given to each SDK through its usual key settings; then a wrong secret,
      # which each SDK must report as the server's 401.
      log "baton-auth: Baton only (Conductor OSS has no authentication to compare with)"
      auth_db="$OUT/baton-auth.db"
      rm -f "$auth_db" "$auth_db-wal" "$auth_db-shm"
      (cd "$ROOT" && go build -o "$OUT/baton" ./cmd/baton) || die "baton: go build ./cmd/baton failed"
      "$OUT/baton" keys create --db "$auth_db" --name compat-sdk >"$OUT/baton-key.out" 2>"$OUT/baton-key.log" ||
        { cat "$OUT/baton-key.log" >&2; die "baton keys create failed"; }
      key_id="$(sed -n 's/^Key id: *//p' "$OUT/baton-key.out")"
      key_secret="$(sed -n 's/^Key secret: *//p' "$OUT/baton-key.out")"
      [[ -n "$key_id" && -n "$key_secret" ]] || die "baton keys create printed no key (see $OUT/baton-key.out)"
      start_baton --db "$auth_db" --auth on
      [[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/metadata/taskdefs")" == 401 ]] ||
        die "baton-auth: the server answered a request without a token with something other than 401"
      CHECK_ENV=(SDK_CHECK_KEY_ID="$key_id" SDK_CHECK_KEY_SECRET="$key_secret")
      run_all baton-auth "$BASE_URL"
      CHECK_ENV=(SDK_CHECK_KEY_ID="$key_id" SDK_CHECK_KEY_SECRET="wrong-$key_secret" SDK_CHECK_EXPECT=refused)
      run_all baton-bad-key "$BASE_URL"
      stop_baton
      # Tokens that expire during the run: a 1 s lifetime, so the server answers 401 EXPIRED_TOKEN and the
      # SDKs must fetch a new token and retry. conductor-go v1.5.4 is left out: it reuses its token for 30
      # minutes whatever the token says and never renews on a 401 (docs/configuration.md).
      start_baton --db "$auth_db" --auth on --token-ttl 1s --log-level debug
      CHECK_ENV=(SDK_CHECK_KEY_ID="$key_id" SDK_CHECK_KEY_SECRET="$key_secret")
      for sdk in $SDK_LIST; do
        [[ "$sdk" == go ]] || run_check baton-expiry "$sdk" "$BASE_URL"
      done
      CHECK_ENV=()
      stop_baton
      log "baton-expiry: the server refused $(grep -c 'error=EXPIRED_TOKEN' "$OUT/baton-server.log" || true) expired tokens, which the SDKs renewed"
      ;;
    url)
      [[ -n "${SDK_BASE_URL:-}" ]] || die "target url needs SDK_BASE_URL (e.g. http://127.0.0.1:8080/api)"
      run_all url "$SDK_BASE_URL"
      ;;
    *) die "unknown target $target (use baton, baton-auth, conductor, url)" ;;
  esac
done

printf '%-13s %-7s %-5s %8s\n' server sdk result time
printf '%s\n' "${RESULTS[@]}"
if [[ " $TARGETS " == *" baton-auth "* ]]; then
  echo "(baton-auth: each SDK with an application key; baton-bad-key: with a wrong secret, refused as it must be;"
  echo " baton-expiry: with tokens that live 1 s, renewed on EXPIRED_TOKEN. Baton only: Conductor OSS has no authentication.)"
fi
log "logs in $OUT"
exit "$FAILED"
