package engine

import (
	"fmt"
	"strings"

	"github.com/batonhq/baton/internal/expr"
	"github.com/batonhq/baton/model"
)

// Validation mirrors the bean-validation constraints Conductor checks on
// its service interfaces (MetadataService, WorkflowService, TaskService):
// the same messages, and paths in Hibernate Validator's form
// "<method>.arg0[.field]" — e.g. "registerTaskDef.arg0[0].name". Invalid
// values are reported as text, and only for scalar values, as Conductor's
// ValidationExceptionMapper does.

type violations []model.ValidationError

func (v *violations) add(path, msg string, invalid any) {
	e := model.ValidationError{Path: path, Message: msg}
	if invalid != nil {
		e.InvalidValue = fmt.Sprint(invalid)
	}
	*v = append(*v, e)
}

func (v violations) err() error {
	if len(v) == 0 {
		return nil
	}
	return Invalid(v...)
}

// normalizeTaskDef fills the fields whose zero value means "not sent": the
// wire type leaves them out when zero so the server default applies
// (model.TaskDef), and Conductor's defaults are not zero.
func normalizeTaskDef(d *model.TaskDef) {
	// Auditable's getters answer 0 for an unset time, so Conductor always
	// sends both; runtimeMetadata is an empty list by default.
	if d.CreateTime == nil {
		d.CreateTime = new(int64)
	}
	if d.UpdateTime == nil {
		d.UpdateTime = new(int64)
	}
	if d.RuntimeMetadata == nil {
		d.RuntimeMetadata = []string{}
	}
	if d.ResponseTimeoutSeconds == 0 {
		d.ResponseTimeoutSeconds = model.DefaultResponseTimeoutSeconds
	}
	if d.BackoffScaleFactor == 0 {
		d.BackoffScaleFactor = 1
	}
	if d.RateLimitFrequencyInSeconds == 0 {
		d.RateLimitFrequencyInSeconds = 1
	}
	if d.TimeoutPolicy == "" {
		d.TimeoutPolicy = model.TimeOutWorkflow
	}
	if d.RetryLogic == "" {
		d.RetryLogic = model.RetryFixed
	}
	if d.InputKeys == nil {
		d.InputKeys = []string{}
	}
	if d.OutputKeys == nil {
		d.OutputKeys = []string{}
	}
	if d.InputTemplate == nil {
		d.InputTemplate = map[string]any{}
	}
}

// validateTaskDef checks one task definition (TaskDef.java's constraints
// and TaskTimeoutConstraint). path is the definition's own path.
func validateTaskDef(v *violations, path string, d *model.TaskDef) {
	if d == nil {
		v.add(path, "TaskDef cannot be null", nil)
		return
	}
	if d.Name == "" {
		v.add(path+".name", "TaskDef name cannot be null or empty", d.Name)
	}
	if d.RetryCount < 0 {
		v.add(path+".retryCount", "TaskDef retryCount: 0 must be >= 0", d.RetryCount)
	}
	if d.ResponseTimeoutSeconds < 1 {
		v.add(path+".responseTimeoutSeconds",
			fmt.Sprintf("TaskDef responseTimeoutSeconds: %d should be minimum 1 second", d.ResponseTimeoutSeconds),
			d.ResponseTimeoutSeconds)
	}
	if d.PollTimeoutSeconds != nil && *d.PollTimeoutSeconds < 0 {
		v.add(path+".pollTimeoutSeconds", "TaskDef pollTimeoutSeconds: 0 must be >= 0", *d.PollTimeoutSeconds)
	}
	if d.BackoffScaleFactor < 1 {
		v.add(path+".backoffScaleFactor", "Backoff scale factor. Applicable for LINEAR_BACKOFF", d.BackoffScaleFactor)
	}
	if d.MaxRetryDelaySeconds < 0 {
		v.add(path+".maxRetryDelaySeconds", "TaskDef maxRetryDelaySeconds: 0 must be >= 0", d.MaxRetryDelaySeconds)
	}
	if d.BackoffJitterMs < 0 {
		v.add(path+".backoffJitterMs", "TaskDef backoffJitterMs: 0 must be >= 0", d.BackoffJitterMs)
	}
	if d.TotalTimeoutSeconds < 0 {
		v.add(path+".totalTimeoutSeconds", "TaskDef totalTimeoutSeconds: 0 must be >= 0", d.TotalTimeoutSeconds)
	}
	switch d.TimeoutPolicy {
	case model.TimeoutRetry, model.TimeOutWorkflow, model.AlertOnly:
	default:
		v.add(path+".timeoutPolicy", "TaskDef timeoutPolicy must be one of RETRY, TIME_OUT_WF, ALERT_ONLY", string(d.TimeoutPolicy))
	}
	switch d.RetryLogic {
	case model.RetryFixed, model.RetryLinearBackoff, model.RetryExponentialBackoff:
	default:
		v.add(path+".retryLogic", "TaskDef retryLogic must be one of FIXED, LINEAR_BACKOFF, EXPONENTIAL_BACKOFF", string(d.RetryLogic))
	}
	// TaskTimeoutConstraint (class-level: the path is the definition's).
	if d.TimeoutSeconds > 0 && d.ResponseTimeoutSeconds > d.TimeoutSeconds {
		v.add(path, fmt.Sprintf("TaskDef: %s responseTimeoutSeconds: %d must be less than timeoutSeconds: %d",
			d.Name, d.ResponseTimeoutSeconds, d.TimeoutSeconds), nil)
	}
	if d.TimeoutSeconds > 0 && d.TotalTimeoutSeconds > 0 && d.TimeoutSeconds > d.TotalTimeoutSeconds {
		v.add(path, fmt.Sprintf("TaskDef: %s timeoutSeconds: %d must be less than or equal to totalTimeoutSeconds: %d",
			d.Name, d.TimeoutSeconds, d.TotalTimeoutSeconds), nil)
	}
}

// normalizeWorkflowDef fills defaults a Go zero value cannot express.
func normalizeWorkflowDef(d *model.WorkflowDef) {
	if d.CreateTime == nil { // Auditable's getters answer 0 for an unset time
		d.CreateTime = new(int64)
	}
	if d.UpdateTime == nil {
		d.UpdateTime = new(int64)
	}
	if d.Version == 0 {
		d.Version = 1 // Conductor's default; 0 also means "latest" on reads here
	}
	if d.TimeoutPolicy == "" {
		d.TimeoutPolicy = model.AlertOnly
	}
}

// validateWorkflowDef checks a workflow definition: WorkflowDef.java and
// WorkflowTask.java field constraints, TaskReferenceNameUniqueConstraint and
// the task-type rules of the registered task types.
func (e *Engine) validateWorkflowDef(v *violations, path string, d *model.WorkflowDef) {
	if d == nil {
		v.add(path, "WorkflowDef cannot be null", nil)
		return
	}
	if d.Name == "" {
		v.add(path+".name", "WorkflowDef name cannot be null or empty", d.Name)
	}
	if len(d.Tasks) == 0 {
		v.add(path+".tasks", "WorkflowTask list cannot be empty", nil)
	}
	if d.SchemaVersion != 2 {
		v.add(path+".schemaVersion", "workflowDef schemaVersion: 2 is only supported", d.SchemaVersion)
	}
	switch d.TimeoutPolicy {
	case model.TimeOutWorkflow, model.AlertOnly:
	default:
		v.add(path+".timeoutPolicy", "WorkflowDef timeoutPolicy must be one of TIME_OUT_WF, ALERT_ONLY", string(d.TimeoutPolicy))
	}
	for i := range d.Tasks {
		e.validateWorkflowTask(v, fmt.Sprintf("%s.tasks[%d]", path, i), &d.Tasks[i])
	}
	// TaskReferenceNameUniqueConstraint (class-level).
	seen := map[string]bool{}
	for _, wt := range collectTasks(d.Tasks) {
		if seen[wt.TaskReferenceName] {
			v.add(path, fmt.Sprintf("taskReferenceName: %s should be unique across tasks for a given workflowDefinition: %s",
				wt.TaskReferenceName, d.Name), nil)
		}
		seen[wt.TaskReferenceName] = true
	}
	e.checkDefinitionSize(v, path, d)
	for _, msg := range forkFollowedByJoin(d) {
		v.add(path, msg, nil)
	}
	for i := range d.Tasks {
		wt := &d.Tasks[i]
		for _, msg := range e.validateInputParams(wt.InputParameters, wt.Name, d) {
			v.add(path, msg, nil)
		}
	}
}

func (e *Engine) validateWorkflowTask(v *violations, path string, wt *model.WorkflowTask) {
	if wt.Name == "" {
		v.add(path+".name", "WorkflowTask name cannot be empty or null", wt.Name)
	}
	if wt.TaskReferenceName == "" {
		v.add(path+".taskReferenceName", "WorkflowTask taskReferenceName name cannot be empty or null", wt.TaskReferenceName)
	}
	if wt.StartDelay < 0 {
		v.add(path+".startDelay", "must be greater than or equal to 0", wt.StartDelay)
	}
	kind := e.kinds.get(wt.TaskType())
	msgs := kind.validate(wt)
	if v, ok := kind.(engineValidator); ok { // rules that read registered definitions
		msgs = append(msgs, v.validateIn(e, wt)...)
	}
	msgs = append(msgs, unsupported(wt)...)
	if _, known := e.kinds.m[wt.TaskType()]; !known && typeConstraints[wt.TaskType()] != nil {
		msgs = typeConstraints[wt.TaskType()](wt)
	}
	if sc, ok := e.kinds.get(wt.TaskType()).(scriptChecker); ok {
		msgs = append(msgs, sc.checkScripts(e.scripts.Check, wt)...)
	}
	for _, msg := range msgs {
		v.add(path, msg, nil)
	}
	for c, tasks := range wt.DecisionCases {
		for i := range tasks {
			e.validateWorkflowTask(v, fmt.Sprintf("%s.decisionCases[%s][%d]", path, c, i), &tasks[i])
		}
	}
	for i := range wt.DefaultCase {
		e.validateWorkflowTask(v, fmt.Sprintf("%s.defaultCase[%d]", path, i), &wt.DefaultCase[i])
	}
	for i, branch := range wt.ForkTasks {
		for j := range branch {
			e.validateWorkflowTask(v, fmt.Sprintf("%s.forkTasks[%d][%d]", path, i, j), &branch[j])
		}
	}
	for i := range wt.LoopOver {
		e.validateWorkflowTask(v, fmt.Sprintf("%s.loopOver[%d]", path, i), &wt.LoopOver[i])
	}
}

// validateInputParams checks every `${...}` reference in a top-level
// task's inputParameters names the workflow, a system or environment
// parameter, or a task of the definition (ConstraintParamUtil).
func (e *Engine) validateInputParams(input map[string]any, taskName string, d *model.WorkflowDef) []string {
	var errs []string
	for _, k := range sortedKeys(input) {
		errs = append(errs, e.validateParamValue(k, input[k], taskName, d)...)
	}
	return errs
}

func (e *Engine) validateParamValue(key string, value any, taskName string, d *model.WorkflowDef) []string {
	switch v := value.(type) {
	case string:
		return e.validateParamString(key, v, taskName, d)
	case map[string]any:
		return e.validateInputParams(v, taskName, d)
	case []any:
		var errs []string
		for _, item := range v {
			errs = append(errs, e.validateParamValue(key, item, taskName, d)...)
		}
		return errs
	}
	return nil
}

func (e *Engine) validateParamString(key, value, taskName string, d *model.WorkflowDef) []string {
	var errs []string
	for _, s := range splitParamValue(value) {
		if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") {
			continue
		}
		p := s[2 : len(s)-1]
		switch {
		case !validPath(p):
			errs = append(errs, fmt.Sprintf("key: %s input parameter value: %s is not valid", key, p))
		case e.isEnvironmentVariable(p):
		default:
			first := strings.SplitN(p, ".", 2)[0]
			if first != "workflow" && taskByRef(d.Tasks, first) == nil {
				errs = append(errs, fmt.Sprintf("taskReferenceName: %s for given task: %s input value: %s of input parameter: %s is not defined in workflow definition.",
					first, taskName, key, value))
			}
		}
	}
	return errs
}

// validPath reports whether p compiles as a JSONPath, as
// ConstraintParamUtil.isValidPath asks Jayway.
func validPath(p string) bool {
	_, err := expr.Eval(p, map[string]any{})
	return err == nil
}

// isEnvironmentVariable matches Conductor's EnvUtils: the system parameters,
// or a name the environment resolves.
func (e *Engine) isEnvironmentVariable(name string) bool {
	switch name {
	case "CPEWF_TASK_ID", "NETFLIX_ENV", "NETFLIX_STACK":
		return true
	}
	if e.cfg.Env != nil {
		_, ok := e.cfg.Env(name)
		return ok
	}
	return false
}

// splitParamValue splits s before each "${" that does not follow a "$" and
// after each "}", as ConstraintParamUtil's regular expression does (Go's
// regexp has no look-around, so by hand).
func splitParamValue(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch {
		case i > start && strings.HasPrefix(s[i:], "${") && s[i-1] != '$':
			out = append(out, s[start:i])
			start = i
		case s[i] == '}':
			out = append(out, s[start:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// validateStartRequest checks a StartWorkflowRequest (WorkflowService
// startWorkflow: @NotNull name, @Min(0)/@Max(99) priority, @Valid workflowDef).
func (e *Engine) validateStartRequest(req *model.StartWorkflowRequest) error {
	var v violations
	const path = "startWorkflow.arg0"
	if req == nil {
		v.add("startWorkflow.arg0", "StartWorkflowRequest cannot be null", nil)
		return v.err()
	}
	if req.Name == "" && req.WorkflowDef == nil {
		v.add(path+".name", "Workflow name cannot be null or empty", nil)
	}
	if req.Priority != nil && *req.Priority < 0 {
		v.add(path+".priority", fmt.Sprintf("priority: %d should be minimum 0", *req.Priority), *req.Priority)
	}
	if req.Priority != nil && *req.Priority > 99 {
		v.add(path+".priority", fmt.Sprintf("priority: %d should be maximum 99", *req.Priority), *req.Priority)
	}
	if req.WorkflowDef != nil {
		e.validateWorkflowDef(&v, path+".workflowDef", req.WorkflowDef)
	}
	return v.err()
}
