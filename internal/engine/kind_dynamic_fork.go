package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/batonhq/baton/internal/expr"
	"github.com/batonhq/baton/model"
)

// dynamicForkKind matches Conductor's FORK_JOIN_DYNAMIC
// (ForkJoinDynamicTaskMapper): a fork whose branches come from the input
// at run time, one task per branch, followed by the JOIN of the
// definition, which waits on all of them. The branches are given as
//   - forkTaskName (or forkTaskType, or forkTaskWorkflow for
//     sub-workflows) with a list forkTaskInputs, one branch per item;
//   - dynamicForkTasksParam naming a list of workflow tasks and
//     dynamicForkTasksInputParamName a map of their inputs by reference name;
//   - the legacy dynamicForkJoinTasksParam naming {dynamicTasks: [...]}.
type dynamicForkKind struct{ mapperOnly }

func (dynamicForkKind) validate(wt *model.WorkflowTask) []string {
	const typ = model.TaskTypeForkJoinDynamic
	if _, ok := wt.InputParameters["forkTaskInputs"]; ok {
		return nil
	}
	if wt.DynamicForkJoinTasksParam != "" && (wt.DynamicForkTasksParam != "" || wt.DynamicForkTasksInputParamName != "") {
		return []string{fmt.Sprintf("dynamicForkJoinTasksParam or combination of dynamicForkTasksInputParamName and dynamicForkTasksParam cam be used for taskType: %s taskName: %s", typ, wt.Name)}
	}
	if wt.DynamicForkJoinTasksParam != "" {
		return nil
	}
	var msgs []string
	if wt.DynamicForkTasksParam == "" {
		msgs = append(msgs, paramRequired("dynamicForkTasksParam", typ, wt.Name))
	}
	if wt.DynamicForkTasksInputParamName == "" {
		msgs = append(msgs, paramRequired("dynamicForkTasksInputParamName", typ, wt.Name))
	}
	return msgs
}

func (dynamicForkKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	ctx := context.Background()
	wt, x := mc.wt, mc.x
	input, err := e.taskInput(x, wt.InputParameters, nil, "")
	if err != nil {
		return nil, err
	}
	nested := false
	for _, t := range x.tasks {
		if t.WorkflowTask != nil && t.WorkflowTask.TaskType() == model.TaskTypeForkJoinDynamic {
			nested = true
			break
		}
	}
	branches, inputs, err := e.simpleForkTasks(ctx, wt, input, nested)
	if err != nil {
		return nil, err
	}
	if branches == nil {
		if wt.DynamicForkTasksParam != "" {
			branches, inputs, err = e.forkTasksFromParam(ctx, wt, input)
		} else {
			branches, inputs, err = e.legacyForkTasks(ctx, wt, input)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(branches) > e.cfg.MaxForkWidth {
		return nil, terminate("Dynamic fork %s has %d branches, more than the %d this server allows (MaxForkWidth, flag --max-fork-width)",
			wt.TaskReferenceName, len(branches), e.cfg.MaxForkWidth)
	}
	// Conductor decodes the branches into new WorkflowTasks, so forkedTaskDefs
	// and the branch rows carry every default field (type SIMPLE, [] and {}).
	model.FillTaskDefaults(branches)

	now := e.clock.Now().UnixMilli()
	fork := mc.newTask(e)
	fork.TaskType = taskTypeFork
	fork.TaskDefName = taskTypeFork
	fork.StartTime, fork.EndTime = now, now
	fork.Executed = true
	fork.Status = model.TaskCompleted
	out := []*model.WorkerTask{fork}

	var joinOn []string
	if x.taskByRef(wt.TaskReferenceName) == nil {
		for i := range branches {
			b := &branches[i]
			if b.InputParameters == nil {
				b.InputParameters = map[string]any{}
			}
			for k, v := range inputs[b.TaskReferenceName] {
				b.InputParameters[k] = v
			}
			tasks, err := e.tasksToSchedule(ctx, x, b, mc.retryCount, "")
			if err != nil {
				return nil, err
			}
			if len(tasks) == 0 {
				msg := fmt.Sprintf("No dynamic tasks could be created for the Workflow: %s, Dynamic Fork Task: %s/%s", shortString(x), b.Name, b.TaskReferenceName)
				if have := x.taskByRef(b.TaskReferenceName); have != nil && (have.Status == model.TaskInProgress || have.Status.IsTerminal()) {
					msg += " attempted to create a duplicate task reference name: " + b.TaskReferenceName
				}
				return nil, terminate("%s", msg)
			}
			out = append(out, tasks...)
			joinOn = append(joinOn, tasks[len(tasks)-1].ReferenceTaskName)
		}
	}
	refs := make([]any, len(branches))
	for i := range branches {
		refs[i] = branches[i].TaskReferenceName
	}
	forkInput := map[string]any{"forkedTasks": refs, "forkedTaskDefs": jsonShaped(branches)}
	for k, v := range input {
		forkInput[k] = v
	}
	fork.InputData = forkInput

	joinWT := nextTask(x.def(), wt.TaskReferenceName)
	if joinWT == nil || joinWT.TaskType() != model.TaskTypeJoin {
		return nil, terminate("Dynamic join definition is not followed by a join task.  Check the workflow definition.")
	}
	joinInput := copyMap(joinWT.InputParameters)
	if joinInput == nil {
		joinInput = map[string]any{}
	}
	joinInput["joinOn"] = nonNilStrings(joinOn)
	jc := &mapContext{x: x, wt: joinWT, taskID: e.ids()}
	join := jc.newTask(e)
	join.TaskType = model.TaskTypeJoin
	join.TaskDefName = model.TaskTypeJoin
	join.StartTime = now
	join.InputData = joinInput
	join.Status = model.TaskInProgress
	return append(out, join), nil
}

// simpleForkTasks reads the forkTaskName / forkTaskInputs form
// (getDynamicTasksSimple). It returns nil tasks when forkTaskInputs is not
// a list, so that the other forms are tried.
func (e *Engine) simpleForkTasks(ctx context.Context, wt *model.WorkflowTask, input map[string]any, nested bool) ([]model.WorkflowTask, map[string]map[string]any, error) {
	items, ok := input["forkTaskInputs"].([]any)
	if !ok {
		return nil, nil, nil
	}
	subName, _ := input["forkTaskWorkflow"].(string)
	var subVersion *int
	if s, ok := input["forkTaskWorkflowVersion"].(string); ok {
		if v, err := strconv.Atoi(s); err == nil {
			subVersion = &v
		}
	}
	typ, _ := input["forkTaskType"].(string)
	name, _ := input["forkTaskName"].(string)
	if typ != "" && name == "" && e.kinds.isSystem(typ) {
		name = typ
	}
	if name == "" {
		name = wt.TaskReferenceName
	}
	if typ == "" {
		typ = model.TaskTypeSimple
	}
	tasks := make([]model.WorkflowTask, 0, len(items))
	inputs := map[string]map[string]any{}
	for i, item := range items {
		var b model.WorkflowTask
		if m, ok := item.(map[string]any); ok {
			if raw, err := json.Marshal(m); err == nil {
				_ = json.Unmarshal(raw, &b) // best effort, as Conductor's convertValue
			}
		}
		params := map[string]any{}
		if m, ok := item.(map[string]any); ok {
			for k, v := range m {
				params[k] = v
			}
		} else {
			params["input"] = item
		}
		if subName != "" {
			b.Name = subName
			b.Type = model.TaskTypeSubWorkflow
			sp := &model.SubWorkflowParams{Name: subName, Version: subVersion}
			if m, ok := item.(map[string]any); ok {
				if ttd, ok := m["taskToDomain"].(map[string]any); ok {
					sp.TaskToDomain = map[string]string{}
					for k, v := range ttd {
						sp.TaskToDomain[k] = expr.JavaString(v)
					}
				}
			}
			b.SubWorkflowParam = sp
		} else {
			b.Name = name
			b.Type = typ
			def, err := e.meta.taskDef(ctx, name)
			if err != nil {
				return nil, nil, err
			}
			b.TaskDefinition = def
		}
		if nested {
			b.TaskReferenceName = "_" + wt.TaskReferenceName + "_" + name + "_" + strconv.Itoa(i)
		} else {
			b.TaskReferenceName = "_" + name + "_" + strconv.Itoa(i)
		}
		params["__index"] = i
		b.InputParameters = params
		if wt.Optional {
			b.Optional = true
		}
		tasks = append(tasks, b)
		inputs[b.TaskReferenceName] = params
	}
	return tasks, inputs, nil
}

// forkTasksFromParam reads the dynamicForkTasksParam form
// (getDynamicForkTasksAndInput).
func (e *Engine) forkTasksFromParam(ctx context.Context, wt *model.WorkflowTask, input map[string]any) ([]model.WorkflowTask, map[string]map[string]any, error) {
	raw := input[wt.DynamicForkTasksParam]
	tasks, ok := workflowTaskList(raw)
	if !ok {
		return nil, nil, terminate("Input '%s' is invalid. Cannot deserialize a list of Workflow Tasks from '%s'",
			wt.DynamicForkTasksParam, expr.JavaString(raw))
	}
	for i := range tasks {
		if tasks[i].TaskDefinition == nil && tasks[i].Name != "" {
			def, err := e.meta.taskDef(ctx, tasks[i].Name)
			if err != nil {
				return nil, nil, err
			}
			tasks[i].TaskDefinition = def
		}
	}
	m, ok := input[wt.DynamicForkTasksInputParamName].(map[string]any)
	if !ok {
		return nil, nil, terminate("Input to the dynamically forked tasks is not a map -> expecting a map of K,V  but found %s",
			expr.JavaString(input[wt.DynamicForkTasksInputParamName]))
	}
	inputs := map[string]map[string]any{}
	for _, t := range tasks { // in branch order, so the first bad input is named
		v := m[t.TaskReferenceName]
		if in, ok := v.(map[string]any); ok {
			inputs[t.TaskReferenceName] = in
		} else if v != nil {
			return nil, nil, terminate("Tasks could not be dynamically forked due to invalid input: the input of %s is not a map but %s",
				t.TaskReferenceName, expr.JavaString(v))
		}
	}
	return tasks, inputs, nil
}

// workflowTaskList decodes a list of workflow tasks, each with a reference
// name, as Conductor's convertValue does (unknown fields ignored).
func workflowTaskList(v any) ([]model.WorkflowTask, bool) {
	if _, ok := v.([]any); !ok {
		return nil, false
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	var tasks []model.WorkflowTask
	if json.Unmarshal(raw, &tasks) != nil {
		return nil, false
	}
	for _, t := range tasks {
		if t.TaskReferenceName == "" {
			return nil, false
		}
	}
	return tasks, true
}

// legacyForkTasks reads the dynamicForkJoinTasksParam form
// (getDynamicForkJoinTasksAndInput): {dynamicTasks: [{taskName,
// referenceName, type, input}]}.
func (e *Engine) legacyForkTasks(ctx context.Context, wt *model.WorkflowTask, input map[string]any) ([]model.WorkflowTask, map[string]map[string]any, error) {
	var list struct {
		DynamicTasks []struct {
			TaskName      string         `json:"taskName"`
			ReferenceName string         `json:"referenceName"`
			Type          string         `json:"type"`
			Input         map[string]any `json:"input"`
		} `json:"dynamicTasks"`
	}
	v := input[wt.DynamicForkJoinTasksParam]
	raw, _ := json.Marshal(v)
	if v == nil || json.Unmarshal(raw, &list) != nil {
		return nil, nil, terminate("Dynamic tasks could not be created. The value of %s from task's input %s has no dynamic tasks to be scheduled",
			wt.DynamicForkJoinTasksParam, expr.JavaString(input))
	}
	tasks := make([]model.WorkflowTask, 0, len(list.DynamicTasks))
	inputs := map[string]map[string]any{}
	for _, d := range list.DynamicTasks {
		b := model.WorkflowTask{Name: d.TaskName, TaskReferenceName: d.ReferenceName, Type: d.Type}
		if b.Type == "" {
			b.Type = model.TaskTypeSimple
		}
		if d.TaskName != "" {
			def, err := e.meta.taskDef(ctx, d.TaskName)
			if err != nil {
				return nil, nil, err
			}
			b.TaskDefinition = def
		}
		inputs[d.ReferenceName] = d.Input
		tasks = append(tasks, b)
	}
	return tasks, inputs, nil
}
