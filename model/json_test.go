package model_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// Conductor's Jackson setup (NON_NULL) leaves nulls out but always writes
// primitive fields, so a zero value never encodes a null and always carries
// the primitive keys.
func TestZeroValuesEncodeLikeJackson(t *testing.T) {
	t.Parallel()
	cases := []struct {
		v    any
		keys []string // primitive fields Jackson always writes
	}{
		{model.WorkerTask{}, []string{"retryCount", "seq", "pollCount", "scheduledTime", "startTime", "endTime",
			"updateTime", "startDelayInSeconds", "retried", "executed", "callbackFromWorker", "responseTimeoutSeconds",
			"callbackAfterSeconds", "rateLimitPerFrequency", "rateLimitFrequencyInSeconds", "workflowPriority",
			"iteration", "subworkflowChanged", "firstStartTime", "queueWaitTime", "loopOverTask",
			"taskDefinition"}}, // an Optional in Java: null when empty, never left out
		{model.TaskResult{}, []string{"workflowInstanceId", "taskId", "callbackAfterSeconds", "extendLease"}},
		// ownerApp is a String, but Conductor always fills it ("" unset);
		// updateTime is a Long whose getter (Auditable) answers 0 for null.
		{model.Workflow{}, []string{"ownerApp", "updateTime", "endTime", "priority", "lastRetriedTime", "rateLimited", "startTime", "workflowVersion"}},
		{model.WorkflowDef{}, []string{"name", "version", "tasks", "schemaVersion", "restartable",
			"workflowStatusListenerEnabled", "timeoutSeconds", "enforceSchema"}},
		{model.WorkflowTask{}, []string{"name", "taskReferenceName", "startDelay", "optional", "asyncComplete", "permissive"}},
		{model.TaskDef{}, []string{"name", "retryCount", "timeoutSeconds", "retryDelaySeconds", "rateLimitPerFrequency",
			"maxRetryDelaySeconds", "backoffJitterMs", "totalTimeoutSeconds", "taskStatusListenerEnabled", "enforceSchema"}},
		{model.TaskExecLog{}, []string{"createdTime"}},
		{model.PollData{}, []string{"lastPollTime"}},
		{model.ErrorResponse{}, []string{"status", "retryable"}},
		{model.SearchResult[model.WorkflowSummary]{}, []string{"totalHits", "results"}},
	}
	for _, c := range cases {
		name := reflect.TypeOf(c.v).Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(c.v)
			require.NoError(t, err)
			var m map[string]any
			require.NoError(t, json.Unmarshal(b, &m))
			for _, k := range c.keys {
				require.Contains(t, m, k, "%s must always carry %q", name, k)
			}
			for k, v := range m {
				if v == nil && !slicesContain(c.keys, k) {
					t.Errorf("%s encodes %q as null; Jackson NON_NULL leaves it out", name, k)
				}
			}
			require.Len(t, m, len(c.keys), "only the primitive fields are present in a zero value: %s", b)
		})
	}
}

// An empty but set collection is written, as Jackson writes an empty map or
// list; a nil one is left out.
func TestEmptyCollectionsAreWritten(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(model.WorkerTask{InputData: map[string]any{}, OutputData: nil})
	require.NoError(t, err)
	require.Contains(t, string(b), `"inputData":{}`)
	require.NotContains(t, string(b), "outputData")

	b, err = json.Marshal(model.TaskDef{Name: "t", InputKeys: []string{}})
	require.NoError(t, err)
	require.Contains(t, string(b), `"inputKeys":[]`)
	require.NotContains(t, string(b), "outputKeys")
}

// Fields whose Conductor default is not zero and for which zero is invalid
// are left out when zero, so the server applies its default.
func TestTaskDefLeavesServerDefaults(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(model.TaskDef{Name: "t"})
	require.NoError(t, err)
	for _, k := range []string{"responseTimeoutSeconds", "backoffScaleFactor", "rateLimitFrequencyInSeconds", "concurrentExecLimit", "pollTimeoutSeconds"} {
		require.NotContains(t, string(b), `"`+k+`"`)
	}
	limit := 0
	b, err = json.Marshal(model.TaskDef{Name: "t", ConcurrentExecLimit: &limit})
	require.NoError(t, err)
	require.Contains(t, string(b), `"concurrentExecLimit":0`, "an explicit zero limit is sent")
}

// Unknown fields are ignored, as Conductor's FAIL_ON_UNKNOWN_PROPERTIES=false.
func TestUnknownFieldsIgnored(t *testing.T) {
	t.Parallel()
	var task model.WorkerTask
	require.NoError(t, json.Unmarshal([]byte(`{"taskId":"t1","someFutureField":{"a":1},"status":"SCHEDULED"}`), &task))
	require.Equal(t, "t1", task.TaskId)
	require.Equal(t, model.TaskScheduled, task.Status)
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}
