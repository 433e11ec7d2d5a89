#!/usr/bin/env bash
# Regenerates the wire-model fixtures in model/testdata/ from a REAL Conductor OSS server.
#
#   compat/server/capture-fixtures.sh [BASE_URL] [OUTDIR]
#
# BASE_URL defaults to $BASE_URL (e.g. http://127.0.0.1:PORT/api as printed by `conductor.sh start`);
# OUTDIR defaults to model/testdata next to this script's repository root.
# Use a fresh server (conductor.sh start): the script registers definitions named baton_fx_* and
# starts workflows. Bodies are saved pretty-printed (Python json, key order and number literals kept);
# nothing else is changed. IDs and timestamps differ on every run.
#
# Typical use:
#   eval "$(compat/server/conductor.sh start | grep -E '^(BASE_URL|STATE_FILE)=')"
#   compat/server/capture-fixtures.sh "$BASE_URL"
#   compat/server/conductor.sh stop "$STATE_FILE"
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
B="${1:-${BASE_URL:-}}"
[[ -n "$B" ]] || { echo "usage: $0 BASE_URL [OUTDIR]  (BASE_URL like http://127.0.0.1:8080/api)" >&2; exit 2; }
B="${B%/}"
OUT="${2:-$HERE/../../model/testdata}"
mkdir -p "$OUT"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

log() { printf 'capture: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# req METHOD PATH [curl args...]: body -> $WORK/body, headers -> $WORK/headers, status -> $STATUS
STATUS=""
req() {
  local method="$1" path="$2"; shift 2
  STATUS="$(curl -sS -X "$method" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' "$@" "$B$path")"
}
# json METHOD PATH JSON-BODY [curl args...]
json() {
  local method="$1" path="$2" data="$3"; shift 3
  req "$method" "$path" -H 'Content-Type: application/json' --data-binary "$data" "$@"
}
expect() { # STATUS... : fail unless $STATUS is one of them
  local s
  for s in "$@"; do [[ "$STATUS" == "$s" ]] && return 0; done
  log "unexpected HTTP $STATUS (wanted $*); headers and body:"
  cat "$WORK/headers" "$WORK/body" >&2; echo >&2
  exit 1
}
body() { cat "$WORK/body"; }
# save NAME: pretty-print the last body into $OUT/NAME
save() {
  python3 - "$WORK/body" "$OUT/$1" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    doc = json.load(f)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
    f.write("\n")
PY
  log "wrote $1"
}
# save_headers NAME: status line + headers of the last response, minus the Date header
save_headers() {
  tr -d '\r' <"$WORK/headers" | grep -v -i '^date:' | sed '/^$/d' >"$OUT/$1"
  log "wrote $1"
}
# poll_until TYPE QUERY WAIT_SECONDS: poll until a task is handed out (body in $WORK/body)
poll_until() {
  local type="$1" query="$2" wait="$3" deadline
  deadline=$(( $(date +%s) + wait ))
  while :; do
    req GET "/tasks/poll/$type?$query"
    [[ "$STATUS" == 200 ]] && return 0
    [[ "$STATUS" == 204 ]] || expect 200 204
    (( $(date +%s) < deadline )) || die "no $type task to poll after ${wait}s"
    sleep 0.3
  done
}
# wait_json PATH JQ-FILTER WAIT_SECONDS: GET PATH until the filter is true
wait_json() {
  local path="$1" filter="$2" wait="$3" deadline
  deadline=$(( $(date +%s) + wait ))
  while :; do
    req GET "$path"
    if [[ "$STATUS" == 200 ]] && jq -e "$filter" "$WORK/body" >/dev/null 2>&1; then return 0; fi
    (( $(date +%s) < deadline )) || { body >&2; die "GET $path never satisfied '$filter' in ${wait}s"; }
    sleep 0.3
  done
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

log "server: $B ($(curl -sS "$B/version" 2>/dev/null || echo '?'))"

# ---------------------------------------------------------------- task definitions
# baton_fx_taskdef: every TaskDef field set to a non-default value (not used by workflows: its
# isolationGroupId/executionNameSpace would change its queue name).
json POST /metadata/taskdefs '[
 {
  "name": "baton_fx_taskdef",
  "description": "Baton fixture: every TaskDef field set to a non-default value",
  "ownerApp": "baton-fixtures",
  "createdBy": "fixture-creator",
  "updatedBy": "fixture-updater",
  "retryCount": 5,
  "timeoutSeconds": 900,
  "inputKeys": ["orderId", "amount"],
  "outputKeys": ["receipt", "total"],
  "runtimeMetadata": ["region", "tier"],
  "timeoutPolicy": "RETRY",
  "retryLogic": "EXPONENTIAL_BACKOFF",
  "retryDelaySeconds": 7,
  "responseTimeoutSeconds": 300,
  "concurrentExecLimit": 4,
  "inputTemplate": {"currency": "EUR", "flags": {"express": true}},
  "rateLimitPerFrequency": 50,
  "rateLimitFrequencyInSeconds": 10,
  "isolationGroupId": "iso-group-a",
  "executionNameSpace": "ns-fixtures",
  "ownerEmail": "fixtures@baton.example",
  "pollTimeoutSeconds": 120,
  "backoffScaleFactor": 3,
  "maxRetryDelaySeconds": 90,
  "backoffJitterMs": 250,
  "baseType": "SIMPLE",
  "totalTimeoutSeconds": 1800,
  "taskStatusListenerEnabled": false,
  "inputSchema": {"name": "fx_input_schema", "version": 2, "type": "JSON", "data": {"type": "object"}},
  "outputSchema": {"name": "fx_output_schema", "version": 3, "type": "JSON", "externalRef": "https://schemas.baton.example/out.json"},
  "enforceSchema": true
 },
 {"name": "baton_fx_task_a", "description": "fixture worker task A", "retryCount": 0,
  "responseTimeoutSeconds": 600, "timeoutSeconds": 1200, "ownerEmail": "fixtures@baton.example",
  "inputKeys": ["orderId"], "outputKeys": ["receipt"]},
 {"name": "baton_fx_task_b", "description": "fixture worker task B (fails once, then retried)",
  "retryCount": 3, "retryLogic": "FIXED", "retryDelaySeconds": 0, "responseTimeoutSeconds": 600,
  "ownerEmail": "fixtures@baton.example"},
 {"name": "baton_fx_task_c", "retryCount": 0, "responseTimeoutSeconds": 600, "ownerEmail": "fixtures@baton.example"},
 {"name": "baton_fx_child_task", "retryCount": 0, "responseTimeoutSeconds": 600, "ownerEmail": "fixtures@baton.example"}
]'
expect 200
req GET /metadata/taskdefs/baton_fx_taskdef; expect 200; save taskdef.json

# ---------------------------------------------------------------- workflow definitions
json POST '/metadata/workflow?overwrite=true' '{
 "name": "baton_fx_child", "version": 1, "schemaVersion": 2, "ownerEmail": "fixtures@baton.example",
 "description": "fixture child workflow",
 "tasks": [{"name": "baton_fx_child_task", "taskReferenceName": "child_t",
            "inputParameters": {"parentInput": "${workflow.input.fromParent}"}, "type": "SIMPLE"}],
 "outputParameters": {"childResult": "${child_t.output.done}"}
}'
expect 200

json POST '/metadata/workflow?overwrite=true' '{
 "name": "baton_fx_workflow",
 "description": "Baton fixture workflow: SIMPLE tasks with many WorkflowTask fields, a SUB_WORKFLOW",
 "version": 2,
 "schemaVersion": 2,
 "ownerEmail": "fixtures@baton.example",
 "ownerApp": "baton-fixtures",
 "inputParameters": ["orderId", "amount", "customer"],
 "restartable": false,
 "workflowStatusListenerEnabled": true,
 "timeoutPolicy": "TIME_OUT_WF",
 "timeoutSeconds": 3600,
 "failureWorkflow": "baton_fx_failure_handler",
 "variables": {"region": "eu-west", "attempts": 0, "flags": ["a", "b"]},
 "inputTemplate": {"currency": "EUR", "amount": 1},
 "metadata": {"team": "baton", "fixture": true},
 "maskedFields": ["customer.ssn"],
 "outputParameters": {
   "receipt": "${fx_a.output.receipt}",
   "total": "${fx_b.output.total}",
   "child": "${fx_sub.output.childResult}",
   "currency": "${workflow.input.currency}",
   "constant": 42
 },
 "tasks": [
  {"name": "baton_fx_task_a", "taskReferenceName": "fx_a", "type": "SIMPLE",
   "description": "first worker task",
   "inputParameters": {
     "orderId": "${workflow.input.orderId}",
     "amount": "${workflow.input.amount}",
     "customerName": "${workflow.input.customer.name}",
     "correlation": "${workflow.correlationId}",
     "wfId": "${workflow.workflowId}",
     "region": "${workflow.variables.region}",
     "literal": "plain text",
     "number": 7,
     "nested": {"list": [1, "${workflow.input.orderId}"], "flag": true}
   },
   "optional": false,
   "startDelay": 0,
   "asyncComplete": false,
   "rateLimited": false,
   "permissive": false,
   "metadata": {"stage": "one"}},
  {"name": "baton_fx_task_b", "taskReferenceName": "fx_b", "type": "SIMPLE",
   "inputParameters": {"receipt": "${fx_a.output.receipt}", "amount": "${workflow.input.amount}",
                       "aInput": "${fx_a.input.orderId}"},
   "retryCount": 2,
   "startDelay": 1,
   "asyncComplete": true},
  {"name": "baton_fx_task_c", "taskReferenceName": "fx_c", "type": "SIMPLE",
   "inputParameters": {"total": "${fx_b.output.total}"},
   "optional": true},
  {"name": "baton_fx_sub", "taskReferenceName": "fx_sub", "type": "SUB_WORKFLOW",
   "inputParameters": {"fromParent": "${fx_b.output.total}"},
   "subWorkflowParam": {"name": "baton_fx_child", "version": 1,
                        "taskToDomain": {"baton_fx_child_task": "NO_DOMAIN"}}}
 ]
}'
expect 200
req GET /metadata/workflow/baton_fx_workflow; expect 200; save workflowdef.json

# ---------------------------------------------------------------- run a workflow
json POST /workflow '{
 "name": "baton_fx_workflow", "version": 2, "correlationId": "fx-corr-1", "priority": 7,
 "input": {"orderId": "ord-1001", "amount": 250, "customer": {"name": "Ada", "ssn": "000-00-0000"}},
 "taskToDomain": {"baton_fx_task_a": "fxdomain"}
}'
expect 200
WF="$(body)"
log "workflow $WF"

poll_until baton_fx_task_a 'workerid=w1&domain=fxdomain' 10
save task_polled.json
TA="$(jq -r .taskId "$WORK/body")"

req POST "/tasks/$TA/log" -H 'Content-Type: text/plain' --data-binary 'log line via POST /tasks/{taskId}/log'
expect 200
json POST /tasks "{
 \"workflowInstanceId\": \"$WF\", \"taskId\": \"$TA\", \"workerId\": \"w1\", \"status\": \"COMPLETED\",
 \"outputData\": {\"receipt\": \"rcpt-77\", \"lines\": [{\"sku\": \"x1\", \"qty\": 2}], \"ok\": true},
 \"logs\": [{\"log\": \"worker log 1\", \"taskId\": \"$TA\", \"createdTime\": $(now_ms)},
            {\"log\": \"worker log 2\", \"taskId\": \"$TA\", \"createdTime\": $(now_ms)}]
}"
expect 200
req GET "/tasks/$TA"; expect 200; save task.json
wait_json "/tasks/$TA/log" 'length >= 3' 15; save task_logs.json

# B fails once, is retried (new task row), and the retry waits in SCHEDULED
poll_until baton_fx_task_b 'workerid=w2' 15
TB="$(jq -r .taskId "$WORK/body")"
json POST /tasks "{\"workflowInstanceId\": \"$WF\", \"taskId\": \"$TB\", \"workerId\": \"w2\", \"status\": \"FAILED\",
 \"reasonForIncompletion\": \"fixture: transient failure\", \"outputData\": {\"attempt\": 1}}"
expect 200
wait_json "/workflow/$WF?includeTasks=true" '[.tasks[] | select(.referenceTaskName=="fx_b")] | length == 2' 15
save workflow.json

# finish the workflow: B retry, C, and the child workflow's task
poll_until baton_fx_task_b 'workerid=w2' 15
TB2="$(jq -r .taskId "$WORK/body")"
json POST /tasks "{\"workflowInstanceId\": \"$WF\", \"taskId\": \"$TB2\", \"workerId\": \"w2\", \"status\": \"COMPLETED\",
 \"outputData\": {\"total\": 275.5, \"attempt\": 2}}"
expect 200
poll_until baton_fx_task_c 'workerid=w3' 15
TC="$(jq -r .taskId "$WORK/body")"
WC="$(jq -r .workflowInstanceId "$WORK/body")"
json POST /tasks "{\"workflowInstanceId\": \"$WC\", \"taskId\": \"$TC\", \"status\": \"COMPLETED\", \"outputData\": {}}"
expect 200
poll_until baton_fx_child_task 'workerid=w4' 30
TK="$(jq -r .taskId "$WORK/body")"
CHILD="$(jq -r .workflowInstanceId "$WORK/body")"
json POST /tasks "{\"workflowInstanceId\": \"$CHILD\", \"taskId\": \"$TK\", \"status\": \"COMPLETED\", \"outputData\": {\"done\": \"yes\"}}"
expect 200
wait_json "/workflow/$WF?includeTasks=true" '.status == "COMPLETED"' 30
save workflow_completed.json
req GET "/workflow/$WF/status?includeOutput=true&includeVariables=true"; expect 200; save workflow_status.json

# ---------------------------------------------------------------- search, poll data
wait_json "/workflow/search?start=0&size=10&query=correlationId%3D%27fx-corr-1%27" \
  '.totalHits >= 1 and (.results[0].status == "COMPLETED")' 30
save search_workflows.json
# (the SQLite index has no workflow_id column for tasks: query=workflowId=... is a 500)
wait_json "/tasks/search?start=0&size=10&query=workflowType%3D%27baton_fx_workflow%27" \
  '.totalHits >= 5 and ([.results[] | select(.status == "COMPLETED")] | length >= 4)' 30
save search_tasks.json
req GET "/tasks/poll/baton_fx_task_a?workerid=w9"; expect 204   # adds a default-domain PollData row
req GET "/tasks/queue/polldata?taskType=baton_fx_task_a"; expect 200; save polldata.json

# ---------------------------------------------------------------- errors
req GET /workflow/00000000-0000-0000-0000-000000000000; expect 404
save error_404.json; save_headers error_404.headers
json POST /metadata/taskdefs '[{"name": ""}]'; expect 400
save error_validation.json; save_headers error_validation.headers

# ---------------------------------------------------------------- execute (sync start) + bulk
json POST '/workflow/execute/baton_fx_workflow/2?waitForSeconds=1&requestId=fx-req-1' \
  '{"name": "baton_fx_workflow", "version": 2, "correlationId": "fx-corr-2", "input": {"orderId": "ord-2002", "amount": 5}}'
expect 200
save signal_response.json
WF2="$(jq -r .workflowId "$WORK/body")"
json PUT /workflow/bulk/pause "[\"$WF2\", \"00000000-0000-0000-0000-000000000000\"]"
expect 200
save bulk_response.json
req DELETE "/workflow/$WF2?reason=fixture%20cleanup"; expect 200

log "done: $(ls "$OUT" | tr '\n' ' ')"
