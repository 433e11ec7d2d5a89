package sdkcheck_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
	"github.com/batonhq/baton/workflow"
	"github.com/batonhq/baton/workflow/executor"
)

// ownerEmail is the owner of every definition the tests register:
// Conductor requires one.
const ownerEmail = "sdkcheck@example.com"

// wfEnv is a test's env with a WorkflowExecutor and a WorkerHost running
// the workers add, echo and flaky under the test's own task names.
type wfEnv struct {
	*env
	exec *executor.WorkflowExecutor
	// add returns {sum: a+b}; echo returns its input; flaky fails (without
	// retries) the first time it runs in a workflow, then echoes.
	add, echo, flaky string
}

func newWorkflowEnv(t *testing.T) *wfEnv {
	t.Helper()
	e := newEnv(t)
	w := &wfEnv{env: e, add: e.name("add"), echo: e.name("echo"), flaky: e.name("flaky")}
	e.registerTasks(taskDef(w.add), taskDef(w.echo), taskDef(w.flaky))
	host := e.newHost(e.api, worker.HostConfig{})
	var failed sync.Map // workflow id → struct{}: flaky has failed there
	for name, fn := range map[string]model.WorkerTaskFunction{
		w.add: func(t *model.WorkerTask) (any, error) {
			a, _ := t.InputData["a"].(float64)
			b, _ := t.InputData["b"].(float64)
			return map[string]any{"sum": a + b}, nil
		},
		w.echo: func(t *model.WorkerTask) (any, error) { return t.InputData, nil },
		w.flaky: func(t *model.WorkerTask) (any, error) {
			if _, again := failed.LoadOrStore(t.WorkflowInstanceId, struct{}{}); !again {
				return nil, model.NewTerminalError(fmt.Errorf("first run fails on purpose"))
			}
			return t.InputData, nil
		},
	} {
		require.NoError(t, host.StartWorker(name, fn, 4, 50*time.Millisecond))
	}
	// Watches poll at most every 250 ms: a finished workflow is seen soon.
	exec, err := executor.NewWorkflowExecutorWithConfig(e.api, executor.Config{MaxPollInterval: 250 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, exec.Close()) }) // before the host's shutdown
	w.exec = exec
	return w
}

// workflow returns a builder for the workflow prefix_suffix, with an owner.
func (w *wfEnv) workflow(suffix string) *workflow.ConductorWorkflow {
	return workflow.NewConductorWorkflow(w.exec).Name(w.name(suffix)).OwnerEmail(ownerEmail)
}

// addTask returns an add task adding inputs a and b.
func (w *wfEnv) addTask(ref string, a, b any) workflow.TaskInterface {
	return workflow.NewSimpleTask(w.add, ref).Input("a", a).Input("b", b)
}

// wait waits for workflow id to end and returns it.
func (w *wfEnv) wait(id string) *model.Workflow {
	w.t.Helper()
	wf, err := w.exec.WaitForCompletion(w.ctx, id)
	require.NoError(w.t, err, "workflow %s", id)
	return wf
}

// waitFor waits for workflow id to end with status and returns it with its tasks.
func (w *wfEnv) waitFor(id string, status model.WorkflowStatus) *model.Workflow {
	w.t.Helper()
	w.wait(id)
	wf, err := w.exec.GetWorkflowWithContext(w.ctx, id, true)
	require.NoError(w.t, err)
	require.Equal(w.t, status, wf.Status, describe(wf))
	return wf
}
