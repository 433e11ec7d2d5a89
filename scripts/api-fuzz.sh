#!/usr/bin/env bash
# Fuzzes `baton server` (in-memory database, loopback) with Schemathesis
# through the OpenAPI document it serves at /api-docs: every operation, with
# generated parameters and bodies, then stateful sequences along the
# document's links. Fails on any 5xx (other than the documented 501s) and on
# any answer that does not match the document. API_FUZZ_SECONDS bounds the
# run (default 150); API_FUZZ_SEED makes it reproducible.
set -euo pipefail
cd "$(dirname "$0")/.."

repo="$PWD"
seconds="${API_FUZZ_SECONDS:-150}"
st="$(./scripts/install-schemathesis.sh)"
work="$(mktemp -d "${TMPDIR:-/tmp}/baton-api-fuzz.XXXXXX")"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/baton" ./cmd/baton
"$work/baton" server --addr 127.0.0.1:0 --db :memory: --log-level error >"$work/out" 2>"$work/err" &
pid=$!
addr=""
for _ in $(seq 100); do
  addr="$(sed -n 's/^baton server listening on //p' "$work/out")"
  [[ -n "$addr" ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$addr" ]] || { echo "api-fuzz: baton server did not start" >&2; cat "$work/err" >&2; exit 1; }
echo "api-fuzz: baton server on $addr, schemathesis for ${seconds}s"

args=(--config-file "$repo/scripts/api-fuzz/schemathesis.toml" run "http://$addr/api-docs"
  --max-time "$seconds" --workers 1)
[[ -n "${API_FUZZ_SEED:-}" ]] && args+=(--seed "$API_FUZZ_SEED")
rc=0
# From the scratch directory: Schemathesis and Hypothesis keep their caches in
# the working directory.
(cd "$work" && SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$repo/scripts/api-fuzz" "$st" "${args[@]}") || rc=$?
# The server logs every 5xx; the documented 501s are expected.
if grep -v 'status=501' "$work/err" >"$work/unexpected" && [[ -s "$work/unexpected" ]]; then
  echo "api-fuzz: the server logged errors:" >&2
  cat "$work/unexpected" >&2
fi
exit "$rc"
