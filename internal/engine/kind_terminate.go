package engine

import (
	"context"
	"fmt"

	"github.com/batonhq/baton/model"
)

// terminateKind matches Conductor's Terminate (and TerminateTaskMapper):
// with a valid terminationStatus it completes with workflowOutput as its
// output, and the decider then ends the workflow with that status
// (endExecution); with any other status it fails.
type terminateKind struct{ systemKind }

// validate is WorkflowTaskTypeConstraint.isTerminateTaskValid.
func (terminateKind) validate(wt *model.WorkflowTask) []string {
	var msgs []string
	if wt.Optional {
		msgs = append(msgs, "terminate task cannot be optional, taskName: "+wt.Name)
	}
	if s, ok := wt.InputParameters["terminationStatus"]; !ok || s == nil || !validTerminationStatus(fmt.Sprint(s)) {
		msgs = append(msgs, "terminate task must have an terminationStatus parameter and must be set to COMPLETED or FAILED, taskName: "+wt.Name)
	}
	return msgs
}

func validTerminationStatus(s string) bool {
	switch model.WorkflowStatus(s) {
	case model.WorkflowCompleted, model.WorkflowFailed, model.WorkflowTerminated:
		return true
	}
	return false
}

func (terminateKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	return mapSystemTask(e, mc, model.TaskInProgress, false)
}

func (terminateKind) execute(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) (bool, error) {
	status, _ := t.InputData["terminationStatus"].(string)
	if !validTerminationStatus(status) {
		t.ReasonForIncompletion = "given termination status is not valid"
		t.Status = model.TaskFailed
		return false, nil
	}
	out := map[string]any{}
	switch v := t.InputData["workflowOutput"].(type) {
	case nil:
	case map[string]any:
		out = copyMap(v)
	default:
		out["output"] = deepCopy(v)
	}
	t.OutputData = out
	t.Status = model.TaskCompleted
	return true, nil
}
