package client

import (
	"maps"
	"slices"

	"github.com/batonhq/baton/model"
)

// Deep copies of the definitions the task decoder caches: every task gets
// its own, so a handler that changes its task's definition changes nothing
// else. A test fills every field and checks that no reference is shared.

// workflowTaskCopy is a copied WorkflowTask with its task definition and
// scalar pointees, in one allocation.
type workflowTaskCopy struct {
	wt          model.WorkflowTask
	def         taskDefCopy
	rateLimited bool
	retryCount  int
}

func cloneWorkflowTask(w *model.WorkflowTask) *model.WorkflowTask {
	if w == nil {
		return nil
	}
	b := &workflowTaskCopy{wt: *w}
	c := &b.wt
	c.InputParameters = cloneAnyMap(w.InputParameters)
	if w.DecisionCases != nil {
		c.DecisionCases = make(map[string][]model.WorkflowTask, len(w.DecisionCases))
		for k, v := range w.DecisionCases {
			c.DecisionCases[k] = cloneWorkflowTasks(v)
		}
	}
	c.DefaultCase = cloneWorkflowTasks(w.DefaultCase)
	if w.ForkTasks != nil {
		c.ForkTasks = make([][]model.WorkflowTask, len(w.ForkTasks))
		for i, v := range w.ForkTasks {
			c.ForkTasks[i] = cloneWorkflowTasks(v)
		}
	}
	if w.SubWorkflowParam != nil {
		p := *w.SubWorkflowParam
		p.Version = clonePtr(p.Version)
		p.TaskToDomain = maps.Clone(p.TaskToDomain)
		p.WorkflowDefinition = cloneAny(p.WorkflowDefinition)
		p.Priority = cloneAny(p.Priority)
		c.SubWorkflowParam = &p
	}
	c.JoinOn = slices.Clone(w.JoinOn)
	if w.TaskDefinition != nil {
		c.TaskDefinition = b.def.from(w.TaskDefinition)
	}
	c.RateLimited = copyInto(&b.rateLimited, w.RateLimited)
	c.DefaultExclusiveJoinTask = slices.Clone(w.DefaultExclusiveJoinTask)
	c.LoopOver = cloneWorkflowTasks(w.LoopOver)
	c.RetryCount = copyInto(&b.retryCount, w.RetryCount)
	c.OnStateChange = cloneAnyMap(w.OnStateChange)
	c.CacheConfig = clonePtr(w.CacheConfig)
	c.Metadata = cloneAnyMap(w.Metadata)
	return c
}

func cloneWorkflowTasks(ts []model.WorkflowTask) []model.WorkflowTask {
	if ts == nil {
		return nil
	}
	out := make([]model.WorkflowTask, len(ts))
	for i := range ts {
		out[i] = *cloneWorkflowTask(&ts[i])
	}
	return out
}

func cloneTaskDef(d *model.TaskDef) *model.TaskDef {
	if d == nil {
		return nil
	}
	return new(taskDefCopy).from(d)
}

// taskDefCopy is a copied TaskDef with its scalar pointees, in one
// allocation.
type taskDefCopy struct {
	def                         model.TaskDef
	createTime, updateTime      int64
	concurrentExecLimit, pollTO int
}

// from fills b with a deep copy of d and returns it.
func (b *taskDefCopy) from(d *model.TaskDef) *model.TaskDef {
	b.def = *d
	c := &b.def
	c.CreateTime = copyInto(&b.createTime, d.CreateTime)
	c.UpdateTime = copyInto(&b.updateTime, d.UpdateTime)
	c.InputKeys = slices.Clone(d.InputKeys)
	c.OutputKeys = slices.Clone(d.OutputKeys)
	c.ConcurrentExecLimit = copyInto(&b.concurrentExecLimit, d.ConcurrentExecLimit)
	c.InputTemplate = cloneAnyMap(d.InputTemplate)
	c.PollTimeoutSeconds = copyInto(&b.pollTO, d.PollTimeoutSeconds)
	c.InputSchema = cloneSchemaDef(d.InputSchema)
	c.OutputSchema = cloneSchemaDef(d.OutputSchema)
	c.RuntimeMetadata = slices.Clone(d.RuntimeMetadata)
	return c
}

// copyInto copies *p into dst and returns dst, or nil for a nil p.
func copyInto[T any](dst, p *T) *T {
	if p == nil {
		return nil
	}
	*dst = *p
	return dst
}

func cloneSchemaDef(d *model.SchemaDef) *model.SchemaDef {
	if d == nil {
		return nil
	}
	c := *d
	c.CreateTime = clonePtr(d.CreateTime)
	c.UpdateTime = clonePtr(d.UpdateTime)
	c.Data = cloneAnyMap(d.Data)
	return &c
}

// clonePtr copies a pointer to a value without references.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

func cloneAnyMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = cloneAny(v)
	}
	return c
}

// cloneAny copies what encoding/json puts in an interface: maps and slices
// are copied, the rest are values.
func cloneAny(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneAnyMap(v)
	case []any:
		if v == nil {
			return v
		}
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = cloneAny(e)
		}
		return c
	default:
		return v
	}
}
