package api

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// The checks here are the ones Jackson makes while reading a body (enum
// names) and the bean-validation constraints on request objects that the
// engine never sees in raw form. Conductor answers an unknown enum name with
// a 500 (InvalidFormatException); Baton answers 400 and lists the names.
// Rules about definitions themselves (names, timeouts, task references)
// belong to the engine.

var (
	taskTimeoutPolicies     = []model.TimeoutPolicy{model.TimeoutRetry, model.TimeOutWorkflow, model.AlertOnly}
	workflowTimeoutPolicies = []model.TimeoutPolicy{model.TimeOutWorkflow, model.AlertOnly}
	retryLogics             = []model.RetryLogic{model.RetryFixed, model.RetryExponentialBackoff, model.RetryLinearBackoff}
	idempotencyStrategies   = []model.IdempotencyStrategy{model.IdempotencyFail, model.IdempotencyReturnExisting, model.IdempotencyFailOnRunning}
	returnStrategies        = []model.ReturnStrategy{model.ReturnTargetWorkflow, model.ReturnBlockingWorkflow, model.ReturnBlockingTask, model.ReturnBlockingTaskInput}
)

// checkEnum accepts "" (not given) and the listed names, exactly as spelt.
func checkEnum[T ~string](field string, v T, valid []T) error {
	if v == "" {
		return nil
	}
	names := make([]string, len(valid))
	for i, x := range valid {
		if v == x {
			return nil
		}
		names[i] = string(x)
	}
	return invalidf("%s %q is not valid: use one of %s", field, string(v), strings.Join(names, ", "))
}

// parseTaskResultStatus parses the {status} path segment of the update-by-
// reference-name endpoints (Spring trims it, then matches the name exactly).
func parseTaskResultStatus(s string) (model.TaskResultStatus, error) {
	st := model.TaskResultStatus(strings.TrimSpace(s))
	if !st.IsValid() {
		return "", checkEnum("task status", st, model.TaskResultStatuses)
	}
	return st, nil
}

// checkTaskResult applies TaskResult's @NotEmpty constraints (path as
// Conductor reports them for TaskService.updateTask) and requires a valid
// status, which Conductor dereferences without a check (an NPE, so a 500).
func checkTaskResult(tr *model.TaskResult) error {
	var errs []model.ValidationError
	if tr.WorkflowInstanceId == "" {
		errs = append(errs, model.ValidationError{Path: "updateTask.arg0.workflowInstanceId", Message: "Workflow Id cannot be null or empty"})
	}
	if tr.TaskId == "" {
		errs = append(errs, model.ValidationError{Path: "updateTask.arg0.taskId", Message: "Task ID cannot be null or empty"})
	}
	if len(errs) > 0 {
		return engine.Invalid(errs...)
	}
	if tr.ExtendLease {
		return nil // only the lease is touched; Conductor reads nothing else
	}
	if tr.Status == "" {
		return invalidf("field \"status\" is required: use one of %s", joinNames(model.TaskResultStatuses))
	}
	return checkEnum(field("status"), tr.Status, model.TaskResultStatuses)
}

// checkTaskDef checks the enum fields of a task definition; at is its place
// in the body ("" for the whole body, "[2]" in a list).
func checkTaskDef(at string, d *model.TaskDef) error {
	if d == nil {
		return nil
	}
	if err := checkEnum(field(join(at, "timeoutPolicy")), d.TimeoutPolicy, taskTimeoutPolicies); err != nil {
		return err
	}
	return checkEnum(field(join(at, "retryLogic")), d.RetryLogic, retryLogics)
}

// checkWorkflowDef checks the enum fields of a workflow definition and of
// every task in it, however deeply nested.
func checkWorkflowDef(at string, d *model.WorkflowDef) error {
	if d == nil {
		return nil
	}
	if err := checkEnum(field(join(at, "timeoutPolicy")), d.TimeoutPolicy, workflowTimeoutPolicies); err != nil {
		return err
	}
	return checkWorkflowTasks(join(at, "tasks"), d.Tasks)
}

func checkWorkflowTasks(at string, tasks []model.WorkflowTask) error {
	for i := range tasks {
		t := &tasks[i]
		here := fmt.Sprintf("%s[%d]", at, i)
		if err := checkTaskDef(join(here, "taskDefinition"), t.TaskDefinition); err != nil {
			return err
		}
		for _, k := range slices.Sorted(maps.Keys(t.DecisionCases)) {
			if err := checkWorkflowTasks(fmt.Sprintf("%s.decisionCases[%q]", here, k), t.DecisionCases[k]); err != nil {
				return err
			}
		}
		if err := checkWorkflowTasks(join(here, "defaultCase"), t.DefaultCase); err != nil {
			return err
		}
		for j, fork := range t.ForkTasks {
			if err := checkWorkflowTasks(fmt.Sprintf("%s.forkTasks[%d]", here, j), fork); err != nil {
				return err
			}
		}
		if err := checkWorkflowTasks(join(here, "loopOver"), t.LoopOver); err != nil {
			return err
		}
	}
	return nil
}

// checkStartRequest checks the enum fields of a start request (its inline
// definition is checked by inlineWorkflowDef).
func checkStartRequest(req *model.StartWorkflowRequest) error {
	return checkEnum(field("idempotencyStrategy"), req.IdempotencyStrategy, idempotencyStrategies)
}

// join extends a body path: join("tasks[0]", "name") is "tasks[0].name".
func join(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// field labels a body field for a message.
func field(path string) string { return fmt.Sprintf("field %q", path) }

func joinNames[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
