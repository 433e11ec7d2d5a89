package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Registering a workflow that uses a task type Baton does not run (or an
// EVENT sink it cannot publish to) answers 400 naming the type (the sink)
// and the task reference, through the whole stack (API
// decoding, engine validation): the workflow must not be stored, or a start
// would wait forever for a task nothing runs.
func TestRegisterUnsupportedTaskTypes(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	require.NoError(t, s.Start(t.Context()))
	t.Cleanup(http.DefaultClient.CloseIdleConnections)

	for _, tc := range []struct {
		name, task, wantType string
	}{
		{"kafka", `{"type":"KAFKA_PUBLISH","inputParameters":{"kafka_request":{"topic":"t"}}}`, "KAFKA_PUBLISH"},
		{"jdbc", `{"type":"JDBC"}`, "JDBC"},
		{"llm", `{"type":"LLM_TEXT_COMPLETE"}`, "LLM_TEXT_COMPLETE"},
		{"llm embeddings", `{"type":"LLM_GENERATE_EMBEDDINGS"}`, "LLM_GENERATE_EMBEDDINGS"},
		{"mcp", `{"type":"CALL_MCP_TOOL"}`, "CALL_MCP_TOOL"},
		{"agent", `{"type":"AGENT"}`, "AGENT"},
		{"event sqs", `{"type":"EVENT","sink":"sqs:orders"}`, "sink sqs:orders of task type EVENT"},
		{"event kafka", `{"type":"EVENT","sink":"kafka:orders"}`, "sink kafka:orders of task type EVENT"},
		{"inline python", `{"type":"INLINE","inputParameters":{"evaluatorType":"python","expression":"1"}}`, "evaluatorType python of task type INLINE"},
		{"switch python", `{"type":"SWITCH","evaluatorType":"python","expression":"'a'","decisionCases":{"a":[{"name":"n","taskReferenceName":"n1","type":"NOOP"}]}}`,
			"evaluatorType python of task type SWITCH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wf := strings.ReplaceAll(tc.name, " ", "_")
			task := strings.TrimSuffix(tc.task, "}") + `,"name":"x","taskReferenceName":"ref_` + wf + `"}`
			body := fmt.Sprintf(`{"name":"unsupported_%s","version":1,"tasks":[{"name":"first","taskReferenceName":"first","type":"NOOP"},%s]}`, wf, task)
			resp, err := http.Post(s.URL()+"/metadata/workflow", "application/json", strings.NewReader(body)) //nolint:noctx // test on loopback
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, http.StatusBadRequest, resp.StatusCode)
			raw, err := json.Marshal(decodeBody(t, resp))
			require.NoError(t, err)
			require.Contains(t, string(raw), tc.wantType)
			require.Contains(t, string(raw), "(taskReferenceName: ref_"+wf+")")
			require.Contains(t, string(raw), "not supported by Baton")

			status, _ := get(t, s.URL()+"/metadata/workflow/unsupported_"+wf)
			require.Equal(t, http.StatusNotFound, status, "a refused definition is not stored")
		})
	}
}

func decodeBody(t *testing.T, resp *http.Response) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	return m
}
