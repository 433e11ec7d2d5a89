#!/usr/bin/env bash
# Runs each Go fuzz target for a bounded time (FUZZ_TIME, default 15s) and
# prints how many inputs each one executed. The seeds are the f.Add calls
# and the committed corpus in each package's testdata/fuzz/<Target>/; a
# failing input is written there by `go test`, to be committed with its fix.
# FUZZ_TARGETS="pkg:Target ..." runs a subset.
set -euo pipefail
cd "$(dirname "$0")/.."

time_each="${FUZZ_TIME:-15s}"
targets=(${FUZZ_TARGETS:-
  ./internal/expr:FuzzResolve
  ./internal/api:FuzzDecode
  ./internal/api:FuzzHandler
  ./internal/api:FuzzEngineHandler
  ./internal/engine:FuzzValidateWorkflowDef
  ./internal/jq:FuzzTransform
  ./internal/script:FuzzEval
})

rc=0
summary=()
for t in "${targets[@]}"; do
  pkg="${t%%:*}" name="${t##*:}"
  log="$(mktemp "${TMPDIR:-/tmp}/baton-fuzz.XXXXXX")"
  echo "fuzz: $name ($pkg) for $time_each"
  status=ok
  if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$time_each" "$pkg" >"$log" 2>&1; then
    status=FAIL rc=1
    cat "$log"
  fi
  # The last progress line has the total: "fuzz: elapsed: 15s, execs: 123456 (8230/sec), ...".
  execs="$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  summary+=("$(printf '%-26s %-18s %12s execs  %s' "$name" "$pkg" "${execs:-0}" "$status")")
  rm -f "$log"
done
echo "fuzz: summary (${time_each} each)"
printf '  %s\n' "${summary[@]}"
exit "$rc"
