#!/usr/bin/env bash
# Probes the edge cases recorded in compat/server/FINDINGS.md against a REAL Conductor server
# and prints every call with its raw status line, headers (minus Date) and body.
#
#   compat/server/probe-findings.sh [BASE_URL]      (BASE_URL like http://127.0.0.1:PORT/api)
#
# Registers baton_probe_* definitions and starts a few workflows; use a throwaway server.
set -euo pipefail

B="${1:-${BASE_URL:-}}"
[[ -n "$B" ]] || { echo "usage: $0 BASE_URL" >&2; exit 2; }
B="${B%/}"
ROOT="${B%/api}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# show TITLE METHOD URL [curl args...]: print the call and the raw response
show() {
  local title="$1" method="$2" url="$3"; shift 3
  local t0 t1
  printf '\n### %s\n$ curl -X %s' "$title" "$method"
  local a; for a in "$@"; do printf " %q" "$a"; done
  printf ' %q\n' "$url"
  t0=$(date +%s%N)
  curl -sS -i -X "$method" "$@" "$url" | tr -d '\r' | grep -v -i '^date:' >"$WORK/resp" || true
  t1=$(date +%s%N)
  cat "$WORK/resp"; echo
  printf '(%d ms)\n' $(( (t1 - t0) / 1000000 ))
}
# quiet helpers
post_json() { curl -sS -X "$1" -H 'Content-Type: application/json' --data-binary "$3" "$B$2"; }
poll() { curl -sS "$B/tasks/poll/$1?workerid=probe"; }

echo "server $B version $(curl -sS "$B/version")"

# --- setup ------------------------------------------------------------------------------------
post_json POST /metadata/taskdefs '[{"name":"baton_probe_t","retryCount":0,"responseTimeoutSeconds":600}]' >/dev/null
post_json POST '/metadata/workflow?overwrite=true' '{
 "name":"baton_probe_wf","version":1,"schemaVersion":2,"ownerEmail":"probe@baton.example",
 "tasks":[
  {"name":"baton_probe_t","taskReferenceName":"p1","type":"SIMPLE"},
  {"name":"baton_probe_t","taskReferenceName":"p2","type":"SIMPLE","asyncComplete":null,"rateLimited":null},
  {"name":"baton_probe_unregistered","taskReferenceName":"p3","type":"SIMPLE"}]}' >/dev/null

# --- text/plain answers and their errors ------------------------------------------------------
show "start workflow: text/plain success" POST "$B/workflow" \
  -H 'Content-Type: application/json' --data-binary '{"name":"baton_probe_wf","input":{"k":1}}'
WF="$(tail -n 1 "$WORK/resp")"
show "start workflow: unknown name (text/plain endpoint, error)" POST "$B/workflow" \
  -H 'Content-Type: application/json' --data-binary '{"name":"baton_probe_nope"}'
show "start workflow: unknown name, Accept: text/plain" POST "$B/workflow" \
  -H 'Accept: text/plain' -H 'Content-Type: application/json' --data-binary '{"name":"baton_probe_nope"}'
show "start by name: unknown name" POST "$B/workflow/baton_probe_nope" \
  -H 'Content-Type: application/json' --data-binary '{}'
show "update task: unknown workflow (text/plain endpoint, error)" POST "$B/tasks" \
  -H 'Content-Type: application/json' --data-binary '{"workflowInstanceId":"nope-wf","taskId":"nope-task","status":"COMPLETED"}'
show "update task: empty TaskResult (validation)" POST "$B/tasks" \
  -H 'Content-Type: application/json' --data-binary '{}'
show "version: text/plain" GET "$B/version"

# --- polling ------------------------------------------------------------------------------------
show "poll empty queue" GET "$B/tasks/poll/baton_probe_empty?workerid=w1"
show "batch poll, timeout=6000" GET "$B/tasks/poll/batch/baton_probe_empty?workerid=w1&count=2&timeout=6000"
show "batch poll, timeout=5000, empty queue (waits?)" GET "$B/tasks/poll/batch/baton_probe_empty?workerid=w1&count=2&timeout=5000"
show "batch poll, count=0" GET "$B/tasks/poll/batch/baton_probe_empty?workerid=w1&count=0"

# --- malformed bodies ---------------------------------------------------------------------------
show "update task: malformed JSON" POST "$B/tasks" \
  -H 'Content-Type: application/json' --data-binary '{"workflowInstanceId": '
show "update task: no body" POST "$B/tasks" -H 'Content-Type: application/json'
show "update task: bad enum status" POST "$B/tasks" \
  -H 'Content-Type: application/json' --data-binary "{\"workflowInstanceId\":\"$WF\",\"taskId\":\"x\",\"status\":\"DONE\"}"

# --- task logs: raw string body -----------------------------------------------------------------
T1="$(poll baton_probe_t | jq -r .taskId)"
show "log: text/plain body with quotes" POST "$B/tasks/$T1/log" -H 'Content-Type: text/plain' --data-binary 'plain "quoted" text'
show "log: application/json string literal" POST "$B/tasks/$T1/log" -H 'Content-Type: application/json' --data-binary '"json string"'
show "log: application/json object" POST "$B/tasks/$T1/log" -H 'Content-Type: application/json' --data-binary '{"a":1}'
show "log: curl default form content type" POST "$B/tasks/$T1/log" --data-binary 'a=b&c=d'
show "log: empty body" POST "$B/tasks/$T1/log" -H 'Content-Type: text/plain'
sleep 1
show "log: read back" GET "$B/tasks/$T1/log"
show "log: none yet (unknown task id)" GET "$B/tasks/no-such-task/log"

# --- executionMetadata round trip ---------------------------------------------------------------
show "update task: success (text/plain), TaskResult carrying executionMetadata" POST "$B/tasks" \
  -H 'Content-Type: application/json' --data-binary "{\"workflowInstanceId\":\"$WF\",\"taskId\":\"$T1\",\"status\":\"COMPLETED\",\"outputData\":{\"o\":1},
  \"executionMetadata\":{\"serverSendTime\":1000,\"clientReceiveTime\":1001,\"executionStartTime\":1002,
  \"executionEndTime\":1010,\"clientSendTime\":1011,\"pollNetworkLatency\":3,\"updateNetworkLatency\":4,
  \"additionalContext\":{\"k\":\"v\"}}}"
sleep 0.5
show "task after update carrying executionMetadata" GET "$B/tasks/$T1"

# --- skiptask body binding ----------------------------------------------------------------------
WF2="$(post_json POST /workflow '{"name":"baton_probe_wf","input":{}}')"
show "skiptask p2 with a JSON body" PUT "$B/workflow/$WF2/skiptask/p2" \
  -H 'Content-Type: application/json' --data-binary '{"taskInput":{"in":1},"taskOutput":{"out":2}}'
WF3="$(post_json POST /workflow '{"name":"baton_probe_wf","input":{}}')"
show "skiptask p2 with query parameters" PUT "$B/workflow/$WF3/skiptask/p2?taskInput%5Bin%5D=1&taskOutput%5Bout%5D=2"
WF4="$(post_json POST /workflow '{"name":"baton_probe_wf","input":{}}')"
show "skiptask p1 (already scheduled)" PUT "$B/workflow/$WF4/skiptask/p1"
echo; echo "### skipped p2 rows (first: JSON body, second: query parameters)"
for w in "$WF2" "$WF3"; do
  curl -sS "$B/workflow/$w" | jq -c '.tasks[] | select(.referenceTaskName=="p2") | {status, inputData, outputData}'
done

# --- WorkflowTask asyncComplete / rateLimited as stored -----------------------------------------
echo; echo '### WorkflowTask flags as returned by GET /metadata/workflow/baton_probe_wf'
curl -sS "$B/metadata/workflow/baton_probe_wf" | jq -c '.tasks[] | {taskReferenceName, asyncComplete, rateLimited, optional, permissive}'
echo '(keys present in p2, registered with "asyncComplete":null,"rateLimited":null):'
curl -sS "$B/metadata/workflow/baton_probe_wf" | jq -c '.tasks[1] | keys'

# --- unregistered task: ad-hoc taskDefinition ---------------------------------------------------
post_json POST '/metadata/workflow?overwrite=true' '{"name":"baton_probe_adhoc","version":1,"schemaVersion":2,
 "tasks":[{"name":"baton_probe_unregistered","taskReferenceName":"u1","type":"SIMPLE"}]}' >/dev/null
WF5="$(post_json POST /workflow '{"name":"baton_probe_adhoc","input":{}}')"
echo; echo '### unregistered SIMPLE task: Task.taskDefinition and workflowTask.taskDefinition (ad-hoc TaskDef)'
curl -sS "$B/workflow/$WF5" | jq -c '.tasks[0] | {status, responseTimeoutSeconds, taskDefinition, wtTaskDefinition: .workflowTask.taskDefinition}'

# --- queue sizes --------------------------------------------------------------------------------
show "queue/sizes without taskType" GET "$B/tasks/queue/sizes"
show "queue/sizes with two taskType" GET "$B/tasks/queue/sizes?taskType=baton_probe_t&taskType=baton_probe_unregistered"
show "queue/size without taskType" GET "$B/tasks/queue/size"

# --- shapes of empty answers -------------------------------------------------------------------
show "workflow without tasks (includeTasks=false)" GET "$B/workflow/$WF?includeTasks=false"
show "workflow search with no hits" GET "$B/workflow/search?query=correlationId%3D%27no-such-corr%27"
show "task log of a task without logs" GET "$B/tasks/$(curl -sS "$B/workflow/$WF5" | jq -r '.tasks[0].taskId')/log"

# --- misc ---------------------------------------------------------------------------------------
show "unknown path" GET "$B/no/such/path"
show "health (root)" GET "$ROOT/health"
show "task not found" GET "$B/tasks/no-such-task"
show "resume a running workflow" PUT "$B/workflow/$WF4/resume"
show "retry a running workflow" POST "$B/workflow/$WF4/retry"
show "terminate (void endpoint)" DELETE "$B/workflow/$WF4?reason=probe"
show "register workflow twice without overwrite" POST "$B/metadata/workflow" \
  -H 'Content-Type: application/json' --data-binary '{"name":"baton_probe_wf","version":1,"schemaVersion":2,"tasks":[{"name":"baton_probe_t","taskReferenceName":"p1","type":"SIMPLE"}]}'
