package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/model"
)

// Golden scenarios: each testdata/scenarios/<name>.json holds
// definitions, a start request and a list of steps — polls, worker updates,
// clock advances, workflow operations. The runner plays them against an
// engine with a fake clock and writes, after every step, the workflow and
// every task row to a trace; testdata/scenarios/<name>.golden is the
// expected trace. Run with -update to rewrite the golden files, then review
// the diff.

var update = flag.Bool("update", false, "rewrite the golden files of the engine scenarios")

type scenario struct {
	Description  string                     `json:"description"`
	TaskDefs     []model.TaskDef            `json:"taskDefs"`
	WorkflowDefs []model.WorkflowDef        `json:"workflowDefs"`
	Start        model.StartWorkflowRequest `json:"start"`
	Steps        []step                     `json:"steps"`
}

type step struct {
	Op            string                      `json:"op,omitempty"`
	Type          string                      `json:"type,omitempty"`
	Domain        string                      `json:"domain,omitempty"`
	Worker        string                      `json:"worker,omitempty"`
	Count         int                         `json:"count,omitempty"`
	Ref           string                      `json:"ref,omitempty"`
	Status        model.TaskResultStatus      `json:"status,omitempty"`
	Output        map[string]any              `json:"output,omitempty"`
	Reason        string                      `json:"reason,omitempty"`
	Callback      int64                       `json:"callbackAfterSeconds,omitempty"`
	Logs          []string                    `json:"logs,omitempty"`
	By            string                      `json:"by,omitempty"`
	Latest        bool                        `json:"latest,omitempty"`
	TaskInput     map[string]any              `json:"taskInput,omitempty"`
	WorkflowInput map[string]any              `json:"workflowInput,omitempty"`
	Workflow      string                      `json:"workflow,omitempty"`
	Request       *model.StartWorkflowRequest `json:"request,omitempty"`
}

func TestGoldenScenarios(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/scenarios/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			raw, unplace := httpPlaceholders(t, raw)
			var sc scenario
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&sc), "decode %s", file)
			got := unplace(runScenario(t, newHarness(t), &sc))
			goldenFile := strings.TrimSuffix(file, ".json") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(goldenFile, []byte(got), 0o644))
			}
			want, err := os.ReadFile(goldenFile)
			require.NoError(t, err, "no golden file: run go test ./internal/engine -run TestGoldenScenarios -update")
			require.Equal(t, string(want), got, "trace differs from %s (rerun with -update and review the diff)", goldenFile)

			// The same trace over the SQLite store: the engine must not depend
			// on which store keeps its state.
			st, err := sqlite.Open(context.Background(), sqlite.Config{Path: sqlite.MemoryPath})
			require.NoError(t, err)
			t.Cleanup(func() { _ = st.Close() })
			var again scenario
			require.NoError(t, json.Unmarshal(raw, &again))
			require.Equal(t, string(want), unplace(runScenario(t, newHarnessOn(t, st), &again)), "trace over sqlite differs from %s", goldenFile)
		})
	}
}

func runScenario(t *testing.T, h *harness, sc *scenario) string {
	var b strings.Builder
	if sc.Description != "" {
		fmt.Fprintf(&b, "# %s\n", sc.Description)
	}
	if len(sc.TaskDefs) > 0 {
		require.NoError(t, h.e.RegisterTaskDefs(h.ctx, sc.TaskDefs))
	}
	for i := range sc.WorkflowDefs {
		require.NoError(t, h.e.RegisterWorkflowDef(h.ctx, &sc.WorkflowDefs[i], true))
	}
	id, err := h.e.StartWorkflow(h.ctx, &sc.Start)
	fmt.Fprintf(&b, "\n== start %s\n", compact(sc.Start.Input))
	if err != nil {
		fmt.Fprintf(&b, "error: %v\n", err)
		return b.String()
	}
	h.e.RunDueTimers() // async system tasks due now have run
	writeState(&b, h, id)
	for _, s := range sc.Steps {
		fmt.Fprintf(&b, "\n== %s\n", describe(s))
		// A step may act on another workflow than the started one ("workflow":
		// "$sub:<ref>" is the sub-workflow of task <ref>); the trace then
		// shows that workflow, and the started one after it.
		target := id
		if s.Workflow != "" {
			target = resolveWorkflowRef(t, h, id, s.Workflow)
		}
		if res := playStep(t, h, target, s); res != "" {
			fmt.Fprintf(&b, "%s\n", res)
		}
		h.e.RunDueTimers()
		writeState(&b, h, target)
		if target != id && s.Op != "show" {
			writeState(&b, h, id)
		}
	}
	return b.String()
}

func describe(s step) string {
	c := s
	c.Op = ""
	js, _ := json.Marshal(c)
	if string(js) == "{}" {
		return s.Op
	}
	return s.Op + " " + string(js)
}

// playStep runs one step and returns what it answered, if anything.
func playStep(t *testing.T, h *harness, id string, s step) string {
	t.Helper()
	taskByRef := func(ref string) *model.WorkerTask {
		wf := h.workflow(id)
		task := wf.TaskByRefName(ref)
		require.NotNil(t, task, "no task %s", ref)
		return task
	}
	var err error
	switch s.Op {
	case "poll":
		worker := s.Worker
		if worker == "" {
			worker = "worker"
		}
		got, perr := h.e.Poll(h.ctx, s.Type, PollRequest{Domain: s.Domain, WorkerID: worker, Count: max(s.Count, 1)})
		if perr != nil {
			return "error: " + perr.Error()
		}
		if len(got) == 0 {
			return "polled: none"
		}
		var ids []string
		for _, g := range got {
			ids = append(ids, g.TaskId)
		}
		return "polled: " + strings.Join(ids, ",")
	case "update":
		task := taskByRef(s.Ref)
		r := &model.TaskResult{WorkflowInstanceId: task.WorkflowInstanceId, TaskId: task.TaskId, Status: s.Status,
			OutputData: s.Output, ReasonForIncompletion: s.Reason, CallbackAfterSeconds: s.Callback, WorkerId: "worker"}
		for _, l := range s.Logs {
			r.Logs = append(r.Logs, model.TaskExecLog{Log: l})
		}
		err = h.e.UpdateTask(h.ctx, r)
	case "extendLease":
		task := taskByRef(s.Ref)
		err = h.e.UpdateTask(h.ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId, ExtendLease: true})
	case "updateByRef":
		var tid string
		tid, err = h.e.UpdateTaskByRefName(h.ctx, id, s.Ref, s.Status, s.Output, s.Worker)
		if err == nil {
			return "updated: " + tid
		}
	case "advance":
		d, perr := time.ParseDuration(s.By)
		require.NoError(t, perr)
		h.advance(d)
	case "terminate":
		err = h.e.Terminate(h.ctx, id, s.Reason)
	case "pause":
		err = h.e.Pause(h.ctx, id)
	case "resume":
		err = h.e.Resume(h.ctx, id)
	case "restart":
		err = h.e.Restart(h.ctx, id, s.Latest)
	case "retry":
		err = h.e.Retry(h.ctx, id, s.Latest) // "latest" here is resumeSubworkflowTasks
	case "rerun":
		req := &model.RerunWorkflowRequest{ReRunFromWorkflowId: id, TaskInput: s.TaskInput, WorkflowInput: s.WorkflowInput}
		switch {
		case strings.HasPrefix(s.Ref, "$sub:"): // a task of a sub-workflow: "$sub:<ref>/<task ref>"
			i := strings.LastIndex(s.Ref, "/")
			child := resolveWorkflowRef(t, h, id, s.Ref[:i])
			task := h.workflow(child).TaskByRefName(s.Ref[i+1:])
			require.NotNil(t, task)
			req.ReRunFromTaskId = task.TaskId
		case s.Ref != "":
			req.ReRunFromTaskId = taskByRef(s.Ref).TaskId
		}
		_, err = h.e.Rerun(h.ctx, id, req)
	case "skip":
		err = h.e.SkipTask(h.ctx, id, s.Ref, &model.SkipTaskRequest{TaskOutput: s.Output})
	case "startAnother":
		var other string
		other, err = h.e.StartWorkflow(h.ctx, s.Request)
		if err == nil {
			h.lastStarted = other
			return "started: " + other
		}
	case "show":
	default:
		t.Fatalf("unknown step op %q", s.Op)
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return fmt.Sprintf("error: %s (kind %d, status %d)", e.Message, e.Kind, e.Status)
		}
		return "error: " + err.Error()
	}
	return ""
}

// resolveWorkflowRef turns "$last" into the workflow the latest
// startAnother step started ("$last:sub:<ref>" looks from there), "$failure" into the id of the failure workflow
// the main workflow started, "$sub:<ref>" into the sub-workflow of its task
// <ref> ("$sub:a/b" follows task b of that one), "$started:<ref>" into the
// workflow a START_WORKFLOW task started.
func resolveWorkflowRef(t *testing.T, h *harness, id, ref string) string {
	switch {
	case ref == "$last":
		require.NotEmpty(t, h.lastStarted, "no startAnother step before")
		return h.lastStarted
	case strings.HasPrefix(ref, "$last:"):
		require.NotEmpty(t, h.lastStarted, "no startAnother step before")
		return resolveWorkflowRef(t, h, h.lastStarted, "$"+strings.TrimPrefix(ref, "$last:"))
	case ref == "$failure":
		fw, _ := h.workflow(id).Output["conductor.failure_workflow"].(string)
		require.NotEmpty(t, fw, "no failure workflow")
		return fw
	case strings.HasPrefix(ref, "$sub:"):
		for _, r := range strings.Split(strings.TrimPrefix(ref, "$sub:"), "/") {
			task := h.workflow(id).TaskByRefName(r)
			require.NotNil(t, task, "no task %s in %s", r, id)
			require.NotEmpty(t, task.SubWorkflowId, "task %s has no sub-workflow", r)
			id = task.SubWorkflowId
		}
		return id
	case strings.HasPrefix(ref, "$started:"):
		task := h.workflow(id).TaskByRefName(strings.TrimPrefix(ref, "$started:"))
		require.NotNil(t, task)
		started, _ := task.OutputData["workflowId"].(string)
		require.NotEmpty(t, started, "no workflow started")
		return started
	}
	return ref
}

func rel(ms int64) string {
	if ms == 0 {
		return "-"
	}
	return fmt.Sprintf("+%gs", float64(ms-t0.UnixMilli())/1000)
}

func compact(v any) string {
	js, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(js)
}

// writeState writes a workflow and its tasks, the queues and the
// workflow's next timer.
func writeState(b *strings.Builder, h *harness, id string) {
	wf, err := h.e.GetWorkflow(h.ctx, id, true)
	if err != nil {
		fmt.Fprintf(b, "workflow %s: %v\n", id, err)
		return
	}
	fmt.Fprintf(b, "workflow %s %s start=%s end=%s", wf.WorkflowId, wf.Status, rel(wf.CreateTime), rel(wf.EndTime))
	if wf.ReasonForIncompletion != "" {
		fmt.Fprintf(b, " reason=%q", wf.ReasonForIncompletion)
	}
	if wf.LastRetriedTime != 0 {
		fmt.Fprintf(b, " lastRetried=%s", rel(wf.LastRetriedTime))
	}
	if len(wf.FailedReferenceTaskNames) > 0 {
		fmt.Fprintf(b, " failedRefs=%v failedNames=%v", wf.FailedReferenceTaskNames, wf.FailedTaskNames)
	}
	fmt.Fprintf(b, " in=%s out=%s\n", compact(wf.Input), compact(wf.Output))
	for _, t := range wf.Tasks {
		fmt.Fprintf(b, "  %d %s %s ref=%s type=%s retry=%d polls=%d sched=%s start=%s end=%s upd=%s cb=%d delay=%d",
			t.Seq, t.TaskId, t.Status, t.ReferenceTaskName, t.TaskType, t.RetryCount, t.PollCount,
			rel(t.ScheduledTime), rel(t.StartTime), rel(t.EndTime), rel(t.UpdateTime), t.CallbackAfterSeconds, t.StartDelayInSeconds)
		for _, f := range []struct {
			on   bool
			text string
		}{
			{t.Domain != "", "domain=" + t.Domain},
			{t.WorkerId != "", "worker=" + t.WorkerId},
			{t.Retried, "retried"},
			{t.Executed, "executed"},
			{t.LoopOverTask, "loopOverTask"},
			{t.RetriedTaskId != "", "retriedFrom=" + t.RetriedTaskId},
			{t.ReasonForIncompletion != "", fmt.Sprintf("reason=%q", t.ReasonForIncompletion)},
		} {
			if f.on {
				b.WriteString(" " + f.text)
			}
		}
		fmt.Fprintf(b, " in=%s out=%s\n", compact(t.InputData), compact(t.OutputData))
		if logs, _ := h.e.TaskLogs(h.ctx, t.TaskId); len(logs) > 0 {
			for _, l := range logs {
				fmt.Fprintf(b, "    log %q at %s\n", l.Log, rel(l.CreatedTime))
			}
		}
	}
	sizes := h.e.queues.sizes()
	var qs []string
	for k, n := range sizes {
		if n > 0 {
			qs = append(qs, fmt.Sprintf("%s=%d", k, n))
		}
	}
	sort.Strings(qs)
	if len(qs) > 0 {
		fmt.Fprintf(b, "queues: %s\n", strings.Join(qs, " "))
	}
	for _, t := range wf.Tasks {
		if when, ok := h.e.timers.deadline("sys:" + t.TaskId); ok && !t.Status.IsTerminal() {
			fmt.Fprintf(b, "system run: %s at %s\n", t.ReferenceTaskName, rel(when.UnixMilli()))
		}
	}
	if when, ok := h.e.timers.deadline("wf:" + id); ok {
		fmt.Fprintf(b, "next check: %s\n", rel(when.UnixMilli()))
	}
}

// httpPlaceholders gives a scenario that mentions http://httptest.local a
// loopback test server there (scenarioHandler) and http://closed.local a
// port nothing listens on; unplace puts the names back into the trace.
func httpPlaceholders(t *testing.T, raw []byte) ([]byte, func(string) string) {
	if !bytes.Contains(raw, []byte("httptest.local")) && !bytes.Contains(raw, []byte("closed.local")) {
		return raw, func(s string) string { return s }
	}
	srv := httptest.NewServer(scenarioHandler())
	t.Cleanup(srv.Close)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + l.Addr().String()
	require.NoError(t, l.Close())
	r := strings.NewReplacer("http://httptest.local", srv.URL, "http://closed.local", closed)
	back := strings.NewReplacer(srv.URL, "http://httptest.local", strings.TrimPrefix(srv.URL, "http://"), "httptest.local",
		closed, "http://closed.local", strings.TrimPrefix(closed, "http://"), "closed.local")
	return []byte(r.Replace(string(raw))), back.Replace
}

// scenarioHandler answers the golden scenarios' HTTP tasks: /json echoes
// the request as JSON, /status/<code> answers that code with a body,
// /text answers plain text; no Date header, so traces do not change.
func scenarioHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header()["Date"] = nil
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"method": r.Method, "body": string(body),
			"contentType": r.Header.Get("Content-Type"), "accept": r.Header.Get("Accept"), "x": r.Header.Get("X-Test")})
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		w.Header()["Date"] = nil
		w.WriteHeader(code)
		_, _ = io.WriteString(w, `{"error":"status `+r.PathValue("code")+`"}`)
	})
	mux.HandleFunc("/text", func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = nil
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "plain words")
	})
	return mux
}
