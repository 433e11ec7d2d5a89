package workflow

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/workflow/executor"
)

// TimeoutPolicy says what happens when a workflow exceeds its timeout.
type TimeoutPolicy string

// Workflow timeout policies.
const (
	TimeOutWorkflow TimeoutPolicy = "TIME_OUT_WF"
	AlertOnly       TimeoutPolicy = "ALERT_ONLY"
)

// ConductorWorkflow builds a workflow definition and runs it through its
// executor. Setters chain; none of them sends anything.
type ConductorWorkflow struct {
	executor                      *executor.WorkflowExecutor
	name                          string
	version                       int32
	description                   string
	ownerEmail                    string
	tasks                         []TaskInterface
	timeoutPolicy                 TimeoutPolicy
	timeoutSeconds                int64
	failureWorkflow               string
	inputParameters               []string
	outputParameters              map[string]any
	inputTemplate                 map[string]any
	variables                     map[string]any
	restartable                   bool
	workflowStatusListenerEnabled bool
	idempotencyKey                string
	tags                          map[string]string
	overwriteTags                 bool
	// errs are setter arguments that could not be used, reported by Validate.
	errs []error
}

// NewConductorWorkflow returns an empty workflow run by executor (which may
// be nil for a workflow only turned into a definition): ALERT_ONLY
// timeouts, restartable.
func NewConductorWorkflow(executor *executor.WorkflowExecutor) *ConductorWorkflow {
	return &ConductorWorkflow{executor: executor, timeoutPolicy: AlertOnly, restartable: true, overwriteTags: true}
}

// Name sets the workflow's name.
func (workflow *ConductorWorkflow) Name(name string) *ConductorWorkflow {
	workflow.name = name
	return workflow
}

// Version sets the definition's version. Unset, it is 1, Conductor's default.
func (workflow *ConductorWorkflow) Version(version int32) *ConductorWorkflow {
	workflow.version = version
	return workflow
}

// Description sets the workflow's description.
func (workflow *ConductorWorkflow) Description(description string) *ConductorWorkflow {
	workflow.description = description
	return workflow
}

// TimeoutPolicy sets what happens after timeoutSeconds: TimeOutWorkflow
// ends the workflow TIMED_OUT, AlertOnly only counts it.
func (workflow *ConductorWorkflow) TimeoutPolicy(timeoutPolicy TimeoutPolicy, timeoutSeconds int64) *ConductorWorkflow {
	workflow.timeoutPolicy = timeoutPolicy
	workflow.timeoutSeconds = timeoutSeconds
	return workflow
}

// TimeoutSeconds sets the workflow's timeout; 0 means none.
func (workflow *ConductorWorkflow) TimeoutSeconds(timeoutSeconds int64) *ConductorWorkflow {
	workflow.timeoutSeconds = timeoutSeconds
	return workflow
}

// FailureWorkflow names a workflow started when this one fails.
func (workflow *ConductorWorkflow) FailureWorkflow(failureWorkflow string) *ConductorWorkflow {
	workflow.failureWorkflow = failureWorkflow
	return workflow
}

// Restartable says whether a finished execution may be restarted.
func (workflow *ConductorWorkflow) Restartable(restartable bool) *ConductorWorkflow {
	workflow.restartable = restartable
	return workflow
}

// WorkflowStatusListenerEnabled turns on the server's workflow status
// listener for this workflow.
func (workflow *ConductorWorkflow) WorkflowStatusListenerEnabled(workflowStatusListenerEnabled bool) *ConductorWorkflow {
	workflow.workflowStatusListenerEnabled = workflowStatusListenerEnabled
	return workflow
}

// OutputParameters sets the workflow's output: a map or a struct encoding
// to a JSON object, whose values may hold expressions.
func (workflow *ConductorWorkflow) OutputParameters(outputParameters any) *ConductorWorkflow {
	workflow.outputParameters = workflow.asMap("OutputParameters", outputParameters)
	return workflow
}

// InputTemplate sets default values for the workflow's input.
func (workflow *ConductorWorkflow) InputTemplate(inputTemplate any) *ConductorWorkflow {
	workflow.inputTemplate = workflow.asMap("InputTemplate", inputTemplate)
	return workflow
}

// Variables sets the initial workflow variables.
func (workflow *ConductorWorkflow) Variables(variables any) *ConductorWorkflow {
	workflow.variables = workflow.asMap("Variables", variables)
	return workflow
}

// InputParameters lists the workflow's input names (documentation only).
func (workflow *ConductorWorkflow) InputParameters(inputParameters ...string) *ConductorWorkflow {
	workflow.inputParameters = inputParameters
	return workflow
}

// OwnerEmail sets the owner's email, which Conductor requires unless its
// owner-email check is off.
func (workflow *ConductorWorkflow) OwnerEmail(ownerEmail string) *ConductorWorkflow {
	workflow.ownerEmail = ownerEmail
	return workflow
}

// Tags sets the workflow's tags. Baton's WorkflowDef has no tags, so they
// stay in the builder (GetTags) and are not sent.
func (workflow *ConductorWorkflow) Tags(tags map[string]string) *ConductorWorkflow {
	workflow.tags = maps.Clone(tags)
	return workflow
}

// OverwriteTags is kept for conductor-go programs; see Tags.
func (workflow *ConductorWorkflow) OverwriteTags(overwrite bool) *ConductorWorkflow {
	workflow.overwriteTags = overwrite
	return workflow
}

// IdempotencyKey sets the idempotency key of the starts made through this
// workflow (StartWorkflow* and ExecuteWorkflowWithInput) whose request has
// none. (conductor-go keeps it and never sends it.)
func (workflow *ConductorWorkflow) IdempotencyKey(idempotencyKey string) *ConductorWorkflow {
	workflow.idempotencyKey = idempotencyKey
	return workflow
}

// Add appends a task.
func (workflow *ConductorWorkflow) Add(task TaskInterface) *ConductorWorkflow {
	workflow.tasks = append(workflow.tasks, task)
	return workflow
}

// GetName returns the workflow's name.
func (workflow *ConductorWorkflow) GetName() (name string) { return workflow.name }

// GetVersion returns the version set with Version, 0 if none.
func (workflow *ConductorWorkflow) GetVersion() (version int32) { return workflow.version }

// GetOutputParameters returns the workflow's output parameters.
func (workflow *ConductorWorkflow) GetOutputParameters() (outputParameters map[string]any) {
	return workflow.outputParameters
}

// GetTags returns the tags set with Tags.
func (workflow *ConductorWorkflow) GetTags() map[string]string {
	out := map[string]string{}
	maps.Copy(out, workflow.tags)
	return out
}

// ToWorkflowDef returns the workflow's definition.
func (workflow *ConductorWorkflow) ToWorkflowDef() *model.WorkflowDef {
	def := model.NewWorkflowDef(workflow.name, workflowTasks(workflow.tasks)...)
	if workflow.version != 0 {
		def.Version = int(workflow.version)
	}
	def.Description = workflow.description
	def.InputParameters = slices.Clone(workflow.inputParameters)
	def.OutputParameters = maps.Clone(workflow.outputParameters)
	def.FailureWorkflow = workflow.failureWorkflow
	def.OwnerEmail = workflow.ownerEmail
	def.TimeoutPolicy = model.TimeoutPolicy(workflow.timeoutPolicy)
	def.TimeoutSeconds = workflow.timeoutSeconds
	def.Variables = maps.Clone(workflow.variables)
	def.InputTemplate = maps.Clone(workflow.inputTemplate)
	def.Restartable = workflow.restartable
	def.WorkflowStatusListenerEnabled = workflow.workflowStatusListenerEnabled
	if def.Tasks == nil {
		def.Tasks = []model.WorkflowTask{}
	}
	return def
}

// asMap turns a setter's argument into a map, recording an argument that
// does not encode to a JSON object for Validate. (conductor-go drops it.)
func (workflow *ConductorWorkflow) asMap(setter string, v any) map[string]any {
	m, err := inputAsMap(v)
	if err != nil {
		workflow.errs = append(workflow.errs, fmt.Errorf("%s: %w", setter, err))
	}
	return m
}

// inputAsMap returns v as a map: nil, a map as it is, anything else
// through its JSON encoding, which must be an object.
func inputAsMap(v any) (map[string]any, error) {
	switch m := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return m, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%T does not encode to a JSON object", v)
	}
	return m, nil
}
