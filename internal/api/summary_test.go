package api

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// The fixtures are real answers of Conductor 3.32.1 (model/testdata). Each
// summary is rebuilt from the workflow or task it describes and must come
// out field for field, in Jackson's field order; only the order of keys
// inside input/output differs (Java keeps insertion order, Go sorts).

func TestWorkflowSummaryMatchesConductor(t *testing.T) {
	t.Parallel()
	for i, raw := range fixtureResults(t, "search_workflows.json") {
		var fx map[string]any
		require.NoError(t, json.Unmarshal(raw, &fx))
		wf := &model.Workflow{
			WorkflowName: str(fx["workflowType"]), WorkflowVersion: int(fx["version"].(float64)),
			WorkflowId: str(fx["workflowId"]), CorrelationId: str(fx["correlationId"]),
			CreateTime: millis(t, fx["startTime"]), UpdateTime: millis(t, fx["updateTime"]), EndTime: millis(t, fx["endTime"]),
			Status: model.WorkflowStatus(str(fx["status"])), Priority: int(fx["priority"].(float64)),
			Input: parseJava(t, str(fx["input"])).(map[string]any), Output: parseJava(t, str(fx["output"])).(map[string]any),
			ParentWorkflowId: str(fx["parentWorkflowId"]), ReasonForIncompletion: str(fx["reasonForIncompletion"]),
		}
		if s := str(fx["failedReferenceTaskNames"]); s != "" {
			wf.FailedReferenceTaskNames = strings.Split(s, ",")
		}
		for _, n := range fx["failedTaskNames"].([]any) {
			wf.FailedTaskNames = append(wf.FailedTaskNames, n.(string))
		}
		wf.TaskToDomain = map[string]string{}
		for k, v := range fx["taskToDomain"].(map[string]any) {
			wf.TaskToDomain[k] = v.(string)
		}
		got, err := json.Marshal(summarizeWorkflow(wf))
		require.NoError(t, err)
		requireSameSummary(t, raw, got, i)
	}
}

func TestTaskSummaryMatchesConductor(t *testing.T) {
	t.Parallel()
	for i, raw := range fixtureResults(t, "search_tasks.json") {
		var fx map[string]any
		require.NoError(t, json.Unmarshal(raw, &fx))
		task := &model.WorkerTask{
			WorkflowInstanceId: str(fx["workflowId"]), WorkflowType: str(fx["workflowType"]), CorrelationId: str(fx["correlationId"]),
			ScheduledTime: millis(t, fx["scheduledTime"]), StartTime: millis(t, fx["startTime"]),
			UpdateTime: millis(t, fx["updateTime"]), EndTime: millis(t, fx["endTime"]),
			Status: model.TaskStatus(str(fx["status"])), ReasonForIncompletion: str(fx["reasonForIncompletion"]),
			QueueWaitTime: int64(fx["queueWaitTime"].(float64)), TaskDefName: str(fx["taskDefName"]), TaskType: str(fx["taskType"]),
			InputData: parseJava(t, str(fx["input"])).(map[string]any), OutputData: parseJava(t, str(fx["output"])).(map[string]any),
			TaskId: str(fx["taskId"]), WorkflowPriority: int(fx["workflowPriority"].(float64)), Domain: str(fx["domain"]),
		}
		got, err := json.Marshal(taskSummary(task))
		require.NoError(t, err)
		requireSameSummary(t, raw, got, i)
	}
}

// requireSameSummary compares a summary with Conductor's: same keys in the
// same order, same values, input/output equal as structures and in length.
func requireSameSummary(t *testing.T, want, got []byte, i int) {
	t.Helper()
	require.Equal(t, keysInOrder(t, want), keysInOrder(t, got), "result %d: field order", i)
	var w, g map[string]any
	require.NoError(t, json.Unmarshal(want, &w))
	require.NoError(t, json.Unmarshal(got, &g))
	for _, k := range []string{"input", "output"} {
		require.Equal(t, parseJava(t, str(w[k])), parseJava(t, str(g[k])), "result %d: %s", i, k)
		require.Len(t, str(g[k]), len(str(w[k])), "result %d: %s length", i, k)
		delete(w, k)
		delete(g, k)
	}
	require.Equal(t, w, g, "result %d", i)
}

func fixtureResults(t *testing.T, name string) []json.RawMessage {
	t.Helper()
	b, err := os.ReadFile("../../model/testdata/" + name)
	require.NoError(t, err)
	var page struct{ Results []json.RawMessage }
	require.NoError(t, json.Unmarshal(b, &page))
	require.NotEmpty(t, page.Results)
	return page.Results
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func millis(t *testing.T, v any) int64 {
	t.Helper()
	if v == nil {
		return 0
	}
	ts, err := time.Parse("2006-01-02T15:04:05.000Z", v.(string))
	require.NoError(t, err)
	return ts.UnixMilli()
}

func keysInOrder(t *testing.T, obj []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(obj))
	_, err := dec.Token()
	require.NoError(t, err)
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}

// parseJava reads Java's Map/List toString back into maps, lists and
// strings (numbers stay text), enough to compare two renderings.
func parseJava(t *testing.T, s string) any {
	t.Helper()
	p := &javaParser{s: s}
	v := p.value()
	require.Equal(t, len(s), p.i, "unparsed rest of %q", s)
	return v
}

type javaParser struct {
	s string
	i int
}

func (p *javaParser) value() any {
	switch {
	case strings.HasPrefix(p.s[p.i:], "{"):
		p.i++
		m := map[string]any{}
		for !strings.HasPrefix(p.s[p.i:], "}") {
			k := p.until("=")
			p.i++
			m[k] = p.value()
			p.i += len(", ") * boolInt(strings.HasPrefix(p.s[p.i:], ", "))
		}
		p.i++
		return m
	case strings.HasPrefix(p.s[p.i:], "["):
		p.i++
		l := []any{}
		for !strings.HasPrefix(p.s[p.i:], "]") {
			l = append(l, p.value())
			p.i += len(", ") * boolInt(strings.HasPrefix(p.s[p.i:], ", "))
		}
		p.i++
		return l
	default:
		return p.until(",}]")
	}
}

func (p *javaParser) until(stops string) string {
	start := p.i
	for p.i < len(p.s) && !strings.ContainsRune(stops, rune(p.s[p.i])) {
		p.i++
	}
	return p.s[start:p.i]
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestJavaString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   any
		want string
	}{
		{map[string]any{}, "{}"},
		{map[string]any{"b": 1.0, "a": "x"}, "{a=x, b=1}"},
		{map[string]any{"n": nil, "t": true, "l": []any{1.0, "s", map[string]any{"k": []any{}}}}, "{l=[1, s, {k=[]}], n=null, t=true}"},
		{275.5, "275.5"},
		{42.0, "42"},
		{-3.0, "-3"},
		{1e7, "10000000"},
		{0.001, "0.001"},
		{0.0001, "1.0E-4"},
		{1.5e-5, "1.5E-5"},
		{12345678.9, "1.23456789E7"},
		{-0.5, "-0.5"},
		{1e300, "1.0E300"},
		{json.Number("12345678901234567890"), "12345678901234567890"},
		{json.Number("2.50"), "2.5"},
		{map[string]string{"z": "1", "a": "2"}, "{a=2, z=1}"},
		{[]string{"x", "y"}, "[x, y]"},
		{(*int)(nil), "null"},
		{7, "7"},
	} {
		require.Equal(t, tc.want, javaString(tc.in), "%#v", tc.in)
	}
}

func TestSearchRoutes(t *testing.T) {
	t.Parallel()
	wf := &model.Workflow{WorkflowId: "w1", WorkflowName: "wf", WorkflowVersion: 1, Status: model.WorkflowCompleted,
		CreateTime: 1_000, UpdateTime: 2_000, EndTime: 3_500, Input: map[string]any{"a": 1.0}, Output: map[string]any{}}
	page := &model.SearchResult[*model.Workflow]{TotalHits: 7, Results: []*model.Workflow{wf}}
	wantSummary := `{"totalHits":7,"results":[{"workflowType":"wf","version":1,"workflowId":"w1","startTime":"1970-01-01T00:00:01.000Z",` +
		`"updateTime":"1970-01-01T00:00:02.000Z","endTime":"1970-01-01T00:00:03.500Z","status":"COMPLETED","input":"{a=1}","output":"{}",` +
		`"executionTime":2500,"failedReferenceTaskNames":"","priority":0,"failedTaskNames":[],"taskToDomain":{},"parentWorkflowId":"",` +
		`"classifier":"workflow","inputSize":5,"outputSize":2}]}`
	tk := &model.WorkerTask{TaskId: "t1", WorkflowInstanceId: "w1", TaskType: "task_1", Status: model.TaskCompleted,
		ScheduledTime: 1_000, StartTime: 1_200, UpdateTime: 1_500, EndTime: 1_700, QueueWaitTime: 200}
	tk2 := &model.WorkerTask{TaskId: "t2", WorkflowInstanceId: "w1"}
	tk3 := &model.WorkerTask{TaskId: "t3", WorkflowInstanceId: "gone"}
	tasks := &model.SearchResult[*model.WorkerTask]{TotalHits: 3, Results: []*model.WorkerTask{tk, tk2, tk3}}
	wantTask := `{"workflowId":"w1","scheduledTime":"1970-01-01T00:00:01.000Z","startTime":"1970-01-01T00:00:01.200Z",` +
		`"updateTime":"1970-01-01T00:00:01.500Z","endTime":"1970-01-01T00:00:01.700Z","status":"COMPLETED","executionTime":500,` +
		`"queueWaitTime":200,"taskType":"task_1","input":"{}","output":"{}","taskId":"t1","workflowPriority":0}`
	runRouteCases(t, []routeCase{
		{name: "workflow search with every parameter", method: "GET",
			target: "/api/workflow/search?start=10&size=20&sort=startTime:DESC|workflowId&freeText=abc&query=" +
				"status%20IN%20(RUNNING)&classifier=workflow,agent&topLevelOnly=true",
			setup:  func(f *fakeService) { f.on("SearchWorkflows", page, nil) },
			status: 200, ctype: ctJSON, want: wantSummary,
			calls: []call{c("SearchWorkflows", engine.SearchRequest{Start: 10, Size: 20, Sort: []string{"startTime:DESC", "workflowId"},
				FreeText: "abc", Query: `status IN (RUNNING) AND classifier IN (workflow,agent) AND parentWorkflowId=""`})}},
		{name: "workflow search with defaults", method: "GET", target: "/api/workflow/search",
			status: 200, ctype: ctJSON, want: `{"totalHits":0,"results":[]}`,
			calls: []call{c("SearchWorkflows", engine.SearchRequest{Size: 100, FreeText: "*"})}},
		{name: "workflow search v2 answers workflows", method: "GET", target: "/api/workflow/search-v2?size=5000",
			setup:  func(f *fakeService) { f.on("SearchWorkflows", page, nil) },
			status: 200, ctype: ctJSON, want: `{"totalHits":7,"results":[` + mustJSON(wf) + `]}`,
			calls: []call{c("SearchWorkflows", engine.SearchRequest{Size: 5000, FreeText: "*"})}},
		{name: "task search answers summaries", method: "GET", target: "/api/tasks/search?query=taskType%3D'task_1'",
			setup: func(f *fakeService) {
				f.on("SearchTasks", &model.SearchResult[*model.WorkerTask]{TotalHits: 1, Results: []*model.WorkerTask{tk}}, nil)
			},
			status: 200, ctype: ctJSON, want: `{"totalHits":1,"results":[` + wantTask + `]}`,
			calls: []call{c("SearchTasks", engine.SearchRequest{Size: 100, FreeText: "*", Query: "taskType='task_1'"})}},
		{name: "task search v2 answers tasks", method: "GET", target: "/api/tasks/search-v2",
			setup: func(f *fakeService) {
				f.on("SearchTasks", &model.SearchResult[*model.WorkerTask]{TotalHits: 1, Results: []*model.WorkerTask{tk}}, nil)
			},
			status: 200, ctype: ctJSON, want: `{"totalHits":1,"results":[` + mustJSON(tk) + `]}`,
			calls: []call{c("SearchTasks", engine.SearchRequest{Size: 100, FreeText: "*"})}},
		{name: "search by tasks answers each workflow once", method: "GET", target: "/api/workflow/search-by-tasks",
			setup: func(f *fakeService) {
				f.on("SearchTasks", tasks, nil).onArg("GetWorkflow", "w1", wf, nil).onArg("GetWorkflow", "gone", nil, engine.Errorf(engine.KindNotFound, "gone"))
			},
			status: 200, ctype: ctJSON, want: strings.Replace(wantSummary, `"totalHits":7`, `"totalHits":1`, 1),
			calls: []call{c("SearchTasks", engine.SearchRequest{Size: 100, FreeText: "*"}), c("GetWorkflow", "w1", false), c("GetWorkflow", "gone", false)}},
		{name: "search by tasks v2", method: "GET", target: "/api/workflow/search-by-tasks-v2",
			setup:  func(f *fakeService) { f.on("SearchTasks", tasks, nil).onArg("GetWorkflow", "w1", wf, nil) },
			status: 200, ctype: ctJSON, want: `{"totalHits":1,"results":[` + mustJSON(wf) + `]}`,
			calls: []call{c("SearchTasks", engine.SearchRequest{Size: 100, FreeText: "*"}), c("GetWorkflow", "w1", false), c("GetWorkflow", "gone", false)}},
	})
}
