package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// The workflow of TestSIGKILLWithSystemTasks: a FORK_JOIN of a SIMPLE task
// beside a SUB_WORKFLOW (itself one SIMPLE task), its JOIN, a DO_WHILE of
// three iterations of a SIMPLE task, a WAIT for the duration in the input,
// and an HTTP call to the test's loopback server. Each SIMPLE task type has
// a queue per workflow (taskToDomain), so the test can bring each workflow
// to the exact stage it wants it in at the kill.
const (
	sysBranchTask, sysChildTask, sysLoopTask = "dsys_branch", "dsys_child", "dsys_loop"
	sysWf, sysSubWf                          = "dsys", "dsys_sub"
	sysLoops                                 = 3
	sysResponseTimeout                       = 2 // seconds; a loop task held by a dead worker comes back after this
)

// A stage is where a workflow stands when the server is killed.
type sysStage string

const (
	stageFork     sysStage = "fork"      // nothing done: branch task queued, sub-workflow running, JOIN waiting
	stageJoin     sysStage = "join"      // branch task done, the JOIN waits on the sub-workflow
	stageLoop     sysStage = "loop"      // fork done, DO_WHILE in iteration 2 with its task queued
	stageLoopHeld sysStage = "loop-held" // DO_WHILE in iteration 2 with its task polled by a worker that dies
	stageWait     sysStage = "wait"      // loop done, WAIT (5 s) in progress
	stageHTTP     sysStage = "http"      // WAIT (1 s) over, the HTTP call in flight, held by the test's server
)

// TestSIGKILLWithSystemTasks kills `baton server` with SIGKILL while
// workflows stand at every stage of FORK_JOIN/JOIN, SUB_WORKFLOW, DO_WHILE,
// WAIT and HTTP, restarts it on the same file and checks that every workflow
// still completes with the output its inputs determine: the system tasks'
// state is in the database and the restarted server picks it up (the WAIT's
// timer, the HTTP call made again, the JOIN and the parent of the
// sub-workflow woken when their tasks finish).
func TestSIGKILLWithSystemTasks(t *testing.T) {
	t.Parallel()
	bin := buildBaton(t)
	db := filepath.Join(t.TempDir(), "baton.db")
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	echo := newHeldEcho(t)

	first := startChild(t, bin, db)
	api := first.apiClient(t)
	registerSysDefs(ctx, t, api, echo.url)
	stages := []sysStage{stageHTTP, stageFork, stageJoin, stageLoop, stageLoopHeld, stageWait}
	var wfs []sysWorkflow
	for i, s := range stages {
		for j := range 2 {
			w := sysWorkflow{key: fmt.Sprintf("%s-%d", s, j), domain: fmt.Sprintf("d%d%d", i, j), stage: s}
			w.id = startSysWorkflow(ctx, t, api, w)
			driveToStage(ctx, t, api, w)
			wfs = append(wfs, w)
		}
	}
	for _, w := range wfs {
		requireAtStage(ctx, t, api, w, echo)
	}
	killedAt := time.Now().UnixMilli()
	first.kill(t)
	echo.release()

	second := startChild(t, bin, db)
	api = second.apiClient(t)
	finishAll(ctx, t, api, wfs)
	for _, w := range wfs {
		requireCompleted(ctx, t, api, w, killedAt)
	}
	for _, w := range wfs {
		if w.stage == stageHTTP {
			require.GreaterOrEqual(t, echo.calls(w.key), 2, "workflow %s: its HTTP call, in flight at the kill, was not made again", w.key)
		}
	}
	second.stop(t)
}

type sysWorkflow struct {
	id, key, domain string
	stage           sysStage
}

func registerSysDefs(ctx context.Context, t *testing.T, api *client.APIClient, echoURL string) {
	t.Helper()
	var defs []model.TaskDef
	for _, name := range []string{sysBranchTask, sysChildTask, sysLoopTask} {
		td := model.NewTaskDef(name)
		td.ResponseTimeoutSeconds = sysResponseTimeout
		td.RetryCount = 3
		td.RetryDelaySeconds = 0
		defs = append(defs, *td)
	}
	require.NoError(t, api.Metadata().RegisterTaskDefs(ctx, defs...))
	simple := func(name, ref string, in map[string]any) model.WorkflowTask {
		return model.WorkflowTask{Name: name, TaskReferenceName: ref, Type: model.TaskTypeSimple, InputParameters: in}
	}
	sub := model.NewWorkflowDef(sysSubWf, simple(sysChildTask, "child", map[string]any{"key": "${workflow.input.key}"}))
	sub.OutputParameters = map[string]any{"key": "${child.output.key}"}
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, sub, true))

	one := 1
	wf := model.NewWorkflowDef(sysWf,
		model.WorkflowTask{Name: "fork", TaskReferenceName: "fork", Type: model.TaskTypeForkJoin, ForkTasks: [][]model.WorkflowTask{
			{simple(sysBranchTask, "branch", map[string]any{"key": "${workflow.input.key}"})},
			{{Name: "sub", TaskReferenceName: "sub", Type: model.TaskTypeSubWorkflow,
				SubWorkflowParam: &model.SubWorkflowParams{Name: sysSubWf, Version: &one},
				InputParameters:  map[string]any{"key": "${workflow.input.key}"}}},
		}},
		model.WorkflowTask{Name: "join", TaskReferenceName: "join", Type: model.TaskTypeJoin, JoinOn: []string{"branch", "sub"}},
		model.WorkflowTask{Name: "loop", TaskReferenceName: "loop", Type: model.TaskTypeDoWhile,
			InputParameters: map[string]any{"loops": sysLoops},
			LoopCondition:   "$.loop['iteration'] < $.loops",
			LoopOver:        []model.WorkflowTask{simple(sysLoopTask, "step", map[string]any{"key": "${workflow.input.key}", "i": "${loop.output.iteration}"})}},
		model.WorkflowTask{Name: "wait", TaskReferenceName: "wait", Type: model.TaskTypeWait,
			InputParameters: map[string]any{"duration": "${workflow.input.wait}"}},
		model.WorkflowTask{Name: "call", TaskReferenceName: "call", Type: model.TaskTypeHTTP,
			InputParameters: map[string]any{"http_request": map[string]any{"uri": echoURL + "?key=${workflow.input.key}", "method": "GET",
				"readTimeOut": 60_000}}}, // Conductor's default, 150 ms, would fail the held call before the kill
	)
	wf.OutputParameters = map[string]any{
		"branch": "${branch.output.key}", "sub": "${sub.output.key}", "iterations": "${loop.output.iteration}",
		"lastStep": "${step.output.i}", "http": "${call.output.response.body.key}",
	}
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, wf, true))
}

// startSysWorkflow starts w with its SIMPLE tasks, and those of its
// sub-workflow, in w's domain. The WAIT lasts 5 s in the wait stage, so that
// it is still waiting at the kill, and 1 s elsewhere.
func startSysWorkflow(ctx context.Context, t *testing.T, api *client.APIClient, w sysWorkflow) string {
	t.Helper()
	wait := "1s"
	if w.stage == stageWait {
		wait = "5s"
	}
	id, err := api.Workflows().Start(ctx, &model.StartWorkflowRequest{Name: sysWf,
		Input:        map[string]any{"key": w.key, "wait": wait},
		TaskToDomain: map[string]string{sysBranchTask: w.domain, sysChildTask: w.domain, sysLoopTask: w.domain}})
	require.NoError(t, err, "start %s", w.key)
	return id
}

// sysResultFor completes t with an output made of its inputs.
func sysResultFor(t *model.WorkerTask) *model.TaskResult {
	r := model.NewTaskResultFromTask(t)
	r.Status = model.CompletedTask
	r.OutputData = map[string]any{"key": t.InputData["key"], "i": t.InputData["i"]}
	return r
}

// pollOne polls one task of taskType from domain, waiting for it as long as
// ctx allows.
func pollOne(ctx context.Context, t *testing.T, api *client.APIClient, taskType, domain string) *model.WorkerTask {
	t.Helper()
	for {
		tasks, err := api.Tasks().BatchPoll(ctx, taskType, client.BatchPollOptions{Count: 1, Timeout: 500 * time.Millisecond, Domain: domain, WorkerID: "stager"})
		require.NoError(t, err, "poll %s in domain %s", taskType, domain)
		if len(tasks) == 1 {
			return &tasks[0]
		}
	}
}

func completeOne(ctx context.Context, t *testing.T, api *client.APIClient, taskType, domain string) {
	t.Helper()
	task := pollOne(ctx, t, api, taskType, domain)
	_, err := api.Tasks().Update(ctx, sysResultFor(task))
	require.NoError(t, err)
}

// driveToStage completes w's SIMPLE tasks up to its stage.
func driveToStage(ctx context.Context, t *testing.T, api *client.APIClient, w sysWorkflow) {
	t.Helper()
	if w.stage == stageFork {
		return
	}
	completeOne(ctx, t, api, sysBranchTask, w.domain)
	if w.stage == stageJoin {
		return
	}
	completeOne(ctx, t, api, sysChildTask, w.domain)
	completeOne(ctx, t, api, sysLoopTask, w.domain)
	switch w.stage {
	case stageLoop:
		return
	case stageLoopHeld:
		pollOne(ctx, t, api, sysLoopTask, w.domain) // and never answered: its worker dies with the server
		return
	}
	for range sysLoops - 1 {
		completeOne(ctx, t, api, sysLoopTask, w.domain)
	}
}

// requireAtStage checks that w stands where the kill should find it: the
// task that marks its stage is not finished. Waits, with ctx's deadline, for
// what the server does by itself (the WAIT started; the HTTP call arriving).
func requireAtStage(ctx context.Context, t *testing.T, api *client.APIClient, w sysWorkflow, echo *heldEcho) {
	t.Helper()
	ref, want := map[sysStage]string{
		stageFork: "join", stageJoin: "join", stageLoop: "step__2", stageLoopHeld: "step__2", stageWait: "wait", stageHTTP: "call",
	}[w.stage], map[sysStage]model.TaskStatus{
		stageFork: model.TaskInProgress, stageJoin: model.TaskInProgress, stageLoop: model.TaskScheduled,
		stageLoopHeld: model.TaskInProgress, stageWait: model.TaskInProgress,
		// SCHEDULED while the call is in flight, as in Conductor (AsyncSystemTaskExecutor stores the
		// task only once HttpTask.start has returned).
		stageHTTP: model.TaskScheduled,
	}[w.stage]
	if w.stage == stageHTTP {
		echo.awaitCall(ctx, t, w.key)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		wf, err := api.Workflows().Get(ctx, w.id, true)
		require.NoError(t, err)
		require.Equal(t, model.WorkflowRunning, wf.Status, "workflow %s before the kill", w.key)
		for _, task := range wf.Tasks {
			if task.ReferenceTaskName == ref && task.Status == want {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("workflow %s never had task %s %s before the kill: %s", w.key, ref, want, sysTaskList(wf.Tasks))
		}
		time.Sleep(20 * time.Millisecond) // polls the API; nothing to signal the test when the server acts
	}
}

// finishAll completes the SIMPLE tasks left in every workflow's domain on
// the restarted server until every workflow has ended.
func finishAll(ctx context.Context, t *testing.T, api *client.APIClient, wfs []sysWorkflow) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second) // about 5 s are needed: the WAIT of the wait stage
	defer cancel()
	pending := map[string]sysWorkflow{}
	for _, w := range wfs {
		pending[w.id] = w
	}
	for len(pending) > 0 {
		worked := false
		for _, w := range pending {
			for _, typ := range []string{sysBranchTask, sysChildTask, sysLoopTask} {
				tasks, err := api.Tasks().BatchPoll(ctx, typ, client.BatchPollOptions{Count: 5, Timeout: time.Millisecond, Domain: w.domain, WorkerID: "after-restart"})
				require.NoError(t, err, "poll after the restart")
				for i := range tasks {
					_, err := api.Tasks().Update(ctx, sysResultFor(&tasks[i]))
					require.NoError(t, err)
					worked = true
				}
			}
		}
		if worked {
			continue
		}
		for id := range pending {
			st, err := api.Workflows().Status(ctx, id, false, false)
			require.NoError(t, err)
			if st.Status.IsTerminal() {
				delete(pending, id) // requireCompleted looks at how it ended
			}
		}
		if ctx.Err() != nil {
			var left []string
			for _, w := range pending {
				wf, err := api.Workflows().Get(t.Context(), w.id, true)
				require.NoError(t, err)
				left = append(left, fmt.Sprintf("%s (%s): %s", w.key, wf.Status, sysTaskList(wf.Tasks)))
			}
			t.Fatalf("workflows still running 30 s after the restart:\n%v", left)
		}
		time.Sleep(50 * time.Millisecond) // polls the API; WAIT timers and HTTP calls run in the server
	}
}

// requireCompleted checks a finished workflow and its sub-workflow, and that
// the kill found it where its stage says: the WAIT of the wait stage ended
// after the kill, the step held by the dead worker timed out and was retried.
func requireCompleted(ctx context.Context, t *testing.T, api *client.APIClient, w sysWorkflow, killedAt int64) {
	t.Helper()
	wf, err := api.Workflows().Get(ctx, w.id, true)
	require.NoError(t, err)
	require.Equal(t, model.WorkflowCompleted, wf.Status, "workflow %s (%s at the kill): %s; tasks %s", w.key, w.stage, wf.ReasonForIncompletion, sysTaskList(wf.Tasks))
	require.Equal(t, map[string]any{"branch": w.key, "sub": w.key, "iterations": float64(sysLoops),
		"lastStep": float64(sysLoops), "http": w.key}, wf.Output, "output of workflow %s (%s at the kill)", w.key, w.stage)
	var subID string
	steps, timedOut := 0, 0
	for _, task := range wf.Tasks {
		switch {
		case task.ReferenceTaskName == "sub":
			subID = task.SubWorkflowId
		case task.TaskType == sysLoopTask && task.Status == model.TaskCompleted:
			steps++
		case task.TaskType == sysLoopTask && task.Status == model.TaskTimedOut:
			timedOut++
		case task.ReferenceTaskName == "wait" && w.stage == stageWait:
			require.Greater(t, task.EndTime, killedAt, "workflow %s: its WAIT ended before the kill", w.key)
		}
	}
	require.Equal(t, sysLoops, steps, "workflow %s: completed loop steps; tasks %s", w.key, sysTaskList(wf.Tasks))
	if w.stage == stageLoopHeld {
		require.Equal(t, 1, timedOut, "workflow %s: the step held at the kill should time out once; tasks %s", w.key, sysTaskList(wf.Tasks))
	}
	sub, err := api.Workflows().Get(ctx, subID, false)
	require.NoError(t, err, "sub-workflow of %s", w.key)
	require.Equal(t, model.WorkflowCompleted, sub.Status, "sub-workflow of %s", w.key)
	require.Equal(t, w.id, sub.ParentWorkflowId)
	require.Equal(t, map[string]any{"key": w.key}, sub.Output, "sub-workflow of %s", w.key)
}

func sysTaskList(tasks []model.WorkerTask) string {
	s := ""
	for _, task := range tasks {
		s += fmt.Sprintf("%s(%s %s) ", task.ReferenceTaskName, task.TaskType, task.Status)
	}
	return s
}

// heldEcho is the HTTP tasks' loopback server: it answers {"key": key}, but
// holds every request until release, so that calls are in flight at the
// kill. It counts the calls by key.
type heldEcho struct {
	url     string
	mu      sync.Mutex
	n       map[string]int
	arrived chan struct{} // a call arrived (buffered, for awaitCall)
	gate    chan struct{} // closed by release
	once    sync.Once
}

func newHeldEcho(t *testing.T) *heldEcho {
	t.Helper()
	e := &heldEcho{n: map[string]int{}, arrived: make(chan struct{}, 64), gate: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Query().Get("key")
		e.mu.Lock()
		e.n[key]++
		e.mu.Unlock()
		select {
		case e.arrived <- struct{}{}:
		default:
		}
		select {
		case <-e.gate:
		case <-r.Context().Done(): // the server that called was killed
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"key":%q}`, key)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(e.release) // runs first: no handler stays held
	e.url = srv.URL + "/echo"
	return e
}

func (e *heldEcho) release() { e.once.Do(func() { close(e.gate) }) }

func (e *heldEcho) calls(key string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.n[key]
}

// awaitCall returns once a call for key has arrived.
func (e *heldEcho) awaitCall(ctx context.Context, t *testing.T, key string) {
	t.Helper()
	for e.calls(key) == 0 {
		select {
		case <-e.arrived:
		case <-ctx.Done():
			t.Fatalf("the HTTP call of workflow %s never arrived: %v", key, ctx.Err())
		}
	}
}
