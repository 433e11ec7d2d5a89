package workflow

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/batonhq/baton/model"
)

// ValidationError lists what is wrong with a workflow built in code. Each
// problem names the task it is about by reference name (or position, when
// the reference name is what is missing).
type ValidationError struct {
	// Workflow is the workflow's name.
	Workflow string
	// Problems are the messages, in the order of the definition.
	Problems []string
}

// Error reads like `workflow "orders": task "pay": name is empty; ...`.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("workflow %q: %s", e.Workflow, strings.Join(e.Problems, "; "))
}

// Validate reports mistakes in the workflow that a server would refuse or
// run in a way the builder did not mean, before anything is sent: empty
// names, duplicate reference names, a JOIN on unknown references, a SWITCH
// without cases, a DO_WHILE or FORK_JOIN without tasks, an HTTP task
// without a URI, a setter argument that is not a JSON object. The error
// is a *ValidationError. Register and the Start and Execute methods call it.
func (workflow *ConductorWorkflow) Validate() error {
	return workflow.validate(workflow.ToWorkflowDef())
}

func (workflow *ConductorWorkflow) validate(def *model.WorkflowDef) error {
	v := &validator{refs: map[string]int{}}
	for _, err := range workflow.errs {
		v.add("%v", err)
	}
	v.def(def)
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Workflow: workflow.name, Problems: v.problems}
}

type validator struct {
	problems []string
	refs     map[string]int // reference name → times defined
	joins    []model.WorkflowTask
}

func (v *validator) add(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

// def checks a definition; the tasks of an inline sub-workflow are checked
// as a workflow of their own.
func (v *validator) def(def *model.WorkflowDef) {
	if def.Name == "" {
		v.add("name is empty")
	}
	if len(def.Tasks) == 0 {
		v.add("no tasks (add one with Add)")
	}
	v.tasks(def.Tasks, "")
	for _, j := range v.joins {
		for _, ref := range j.JoinOn {
			if v.refs[ref] == 0 {
				v.add("JOIN %q: joinOn names %q, which is no task of the workflow", j.TaskReferenceName, ref)
			}
		}
	}
}

func (v *validator) tasks(tasks []model.WorkflowTask, where string) {
	for i := range tasks {
		v.task(&tasks[i], fmt.Sprintf("%stask %d", where, i+1))
	}
}

func (v *validator) task(t *model.WorkflowTask, pos string) {
	ref := t.TaskReferenceName
	label := fmt.Sprintf("%s %q", t.TaskType(), ref)
	if ref == "" {
		label = fmt.Sprintf("%s (%s)", t.TaskType(), pos)
		v.add("%s: reference name is empty", label)
	} else {
		if v.refs[ref] == 1 {
			v.add("%s: reference name is used by another task too", label)
		}
		v.refs[ref]++
	}
	if t.Name == "" {
		v.add("%s: name is empty", label)
	}
	in := t.InputParameters
	switch TaskType(t.TaskType()) {
	case SWITCH:
		if len(t.DecisionCases) == 0 {
			v.add("%s: no cases (add one with SwitchCase)", label)
		}
		if t.Expression == "" || (t.Expression == switchCaseValue && isEmpty(in[switchCaseValue])) {
			v.add("%s: case expression is empty", label)
		}
		for _, name := range slices.Sorted(maps.Keys(t.DecisionCases)) {
			v.tasks(t.DecisionCases[name], fmt.Sprintf("%s case %q ", label, name))
		}
		v.tasks(t.DefaultCase, label+" default case ")
	case DO_WHILE:
		if len(t.LoopOver) == 0 {
			v.add("%s: no tasks to loop over", label)
		}
		if strings.TrimSpace(t.LoopCondition) == "" {
			v.add("%s: loop condition is empty", label)
		}
		v.tasks(t.LoopOver, label+" ")
	case FORK_JOIN:
		if len(t.ForkTasks) == 0 {
			v.add("%s: no branches", label)
		}
		for i, branch := range t.ForkTasks {
			if len(branch) == 0 {
				v.add("%s: branch %d is empty", label, i+1)
			}
			v.tasks(branch, fmt.Sprintf("%s branch %d ", label, i+1))
		}
	case JOIN:
		v.joins = append(v.joins, *t)
	case HTTP:
		if httpURI(in["http_request"]) == "" {
			v.add("%s: http_request has no uri", label)
		}
	case SUB_WORKFLOW:
		switch p := t.SubWorkflowParam; {
		case p == nil || p.Name == "":
			v.add("%s: sub-workflow name is empty", label)
		case p.WorkflowDefinition != nil:
			if def, ok := p.WorkflowDefinition.(*model.WorkflowDef); ok {
				sub := &validator{refs: map[string]int{}}
				sub.def(def)
				for _, msg := range sub.problems {
					v.add("%s: inline workflow %q: %s", label, def.Name, msg)
				}
			}
		}
	case START_WORKFLOW:
		if sw, _ := in["startWorkflow"].(map[string]any); sw == nil || isEmpty(sw["name"]) {
			v.add("%s: workflow name is empty", label)
		}
	case DYNAMIC:
		if isEmpty(in[t.DynamicTaskNameParam]) {
			v.add("%s: task name parameter is empty", label)
		}
	case INLINE:
		if isEmpty(in["expression"]) {
			v.add("%s: script is empty", label)
		}
	case JSON_JQ_TRANSFORM:
		if isEmpty(in["queryExpression"]) {
			v.add("%s: jq query is empty", label)
		}
	case TERMINATE:
		switch s := in["terminationStatus"]; {
		case s == model.WorkflowCompleted, s == model.WorkflowFailed, s == model.WorkflowTerminated:
		case s == string(model.WorkflowCompleted), s == string(model.WorkflowFailed), s == string(model.WorkflowTerminated):
		case isExpression(s):
		default:
			v.add("%s: termination status %v is not COMPLETED, FAILED or TERMINATED", label, s)
		}
	}
}

// isExpression reports whether v is a string with a ${...} expression,
// whose value is known only at run time.
func isExpression(v any) bool {
	s, ok := v.(string)
	return ok && strings.Contains(s, "${")
}

func isEmpty(v any) bool {
	s, ok := v.(string)
	return v == nil || ok && strings.TrimSpace(s) == ""
}
