package engine

import (
	"context"

	"github.com/batonhq/baton/model"
)

// taskKind is the behaviour of one task type: how a workflow task becomes
// task rows (Conductor's TaskMapper) and, for the types the server runs
// itself, how they run (WorkflowSystemTask). Worker types only map; system
// types slot in by registering a kind whose system() is true.
type taskKind interface {
	// system reports whether the engine runs tasks of this type itself;
	// workers never poll them and taskToDomain does not apply.
	system() bool
	// async reports whether a system task runs off the decide loop
	// (JOIN, WAIT, HTTP, SUB_WORKFLOW...) rather than inside it.
	async() bool
	// validate returns the messages of type-specific definition rules
	// (WorkflowTaskTypeConstraint).
	validate(wt *model.WorkflowTask) []string
	// mapTasks creates the tasks to schedule for a workflow task.
	mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error)
	// start begins a system task when it is scheduled.
	start(ctx context.Context, e *Engine, x *execution, t *model.WorkerTask) error
	// execute advances a non-terminal system task; it reports whether the
	// task changed.
	execute(ctx context.Context, e *Engine, x *execution, t *model.WorkerTask) (bool, error)
	// cancel is called when a non-terminal system task is cancelled.
	cancel(ctx context.Context, e *Engine, x *execution, t *model.WorkerTask) error
}

// taskKinds maps task types to their behaviour. Types with no entry are
// Conductor's USER_DEFINED: worker tasks queued under the type's name.
type taskKinds struct {
	m       map[string]taskKind
	userDef taskKind
}

func newTaskKinds() *taskKinds {
	k := &taskKinds{m: map[string]taskKind{}, userDef: userDefinedKind{}}
	k.m[model.TaskTypeSimple] = simpleKind{}
	k.m[model.TaskTypeSwitch] = switchKind{}
	k.m[model.TaskTypeDecision] = decisionKind{}
	k.m[model.TaskTypeForkJoin] = forkKind{}
	k.m[taskTypeFork] = forkKind{}
	k.m[model.TaskTypeJoin] = joinKind{}
	k.m[model.TaskTypeExclusiveJoin] = exclusiveJoinKind{}
	k.m[model.TaskTypeForkJoinDynamic] = dynamicForkKind{}
	k.m[model.TaskTypeDynamic] = dynamicKind{}
	k.m[model.TaskTypeDoWhile] = doWhileKind{}
	k.m[model.TaskTypeNoop] = noopKind{}
	k.m[model.TaskTypeHuman] = humanKind{}
	k.m[model.TaskTypeTerminate] = terminateKind{}
	k.m[model.TaskTypeSetVariable] = setVariableKind{}
	k.m[model.TaskTypeWait] = waitKind{}
	k.m[model.TaskTypeSubWorkflow] = subWorkflowKind{}
	k.m[model.TaskTypeStartWorkflow] = startWorkflowKind{}
	k.m[model.TaskTypeHTTP] = httpKind{}
	k.m[model.TaskTypeInline] = inlineKind{}
	k.m[model.TaskTypeLambda] = lambdaKind{}
	k.m[model.TaskTypeJSONJQTransform] = jqKind{}
	k.m[model.TaskTypeEvent] = eventKind{}
	return k
}

// nextScheduler is implemented by kinds whose tasks may schedule their
// followers themselves (a SWITCH whose chosen case has tasks): the decider
// then schedules nothing after them (DeciderService.getNextTask).
type nextScheduler interface {
	schedulesOwnNext(t *model.WorkerTask) bool
}

// scriptChecker is implemented by kinds whose definitions carry
// JavaScript that Conductor syntax-checks at registration
// (WorkflowTaskTypeConstraint.validateScriptExpression).
type scriptChecker interface {
	checkScripts(check func(expression string) error, wt *model.WorkflowTask) []string
}

// looper is implemented by the loop kind (DO_WHILE), whose task's
// iteration counts its own rounds rather than placing it in a loop.
type looper interface{ loops() bool }

func (k *taskKinds) schedulesOwnNext(t *model.WorkerTask) bool {
	kind, ok := k.m[t.TaskType]
	if !ok || !kind.system() {
		return false
	}
	ns, ok := kind.(nextScheduler)
	return ok && ns.schedulesOwnNext(t)
}

func (k *taskKinds) isLoop(taskType string) bool {
	l, ok := k.m[taskType].(looper)
	return ok && l.loops()
}

// conductorQueued is implemented by kinds Baton runs inside the decide loop
// but Conductor runs on its asynchronous system-task workers (JOIN):
// Conductor's scheduleTask queues such a task instead of starting and saving
// it, so its row has no updateTime until it is first executed.
type conductorQueued interface{ queuedByConductor() bool }

func (k *taskKinds) queuedByConductor(taskType string) bool {
	q, ok := k.m[taskType].(conductorQueued)
	return ok && q.queuedByConductor()
}

// get returns the kind of a definition's task type.
func (k *taskKinds) get(typ string) taskKind {
	if kind, ok := k.m[typ]; ok {
		return kind
	}
	return k.userDef
}

// isSystem reports whether a task row's taskType is one the engine runs
// (SystemTaskRegistry.isSystemTask). A SIMPLE row's taskType is its name,
// so it is never a system type.
func (k *taskKinds) isSystem(taskType string) bool {
	kind, ok := k.m[taskType]
	return ok && kind.system()
}

// isAsyncSystem reports whether a task row is an async system task.
func (k *taskKinds) isAsyncSystem(taskType string) bool {
	kind, ok := k.m[taskType]
	return ok && kind.system() && kind.async()
}

// workerKind is the shared no-op system behaviour of worker task types.
type workerKind struct{}

func (workerKind) system() bool                          { return false }
func (workerKind) async() bool                           { return false }
func (workerKind) validate(*model.WorkflowTask) []string { return nil }
func (workerKind) start(context.Context, *Engine, *execution, *model.WorkerTask) error {
	return nil
}
func (workerKind) execute(context.Context, *Engine, *execution, *model.WorkerTask) (bool, error) {
	return false, nil
}
func (workerKind) cancel(context.Context, *Engine, *execution, *model.WorkerTask) error {
	return nil
}

// simpleKind maps a SIMPLE workflow task (SimpleTaskMapper): a SCHEDULED
// task whose type is the task's name, delayed by startDelay, with the
// definition's response timeout and rate limits.
type simpleKind struct{ workerKind }

func (simpleKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	wt := mc.wt
	def := wt.TaskDefinition
	if def == nil {
		def = &model.TaskDef{ResponseTimeoutSeconds: model.DefaultResponseTimeoutSeconds, RateLimitFrequencyInSeconds: 1}
	}
	input, err := e.taskInput(mc.x, wt.InputParameters, def, mc.taskID)
	if err != nil {
		return nil, err
	}
	t := mc.newTask(e)
	t.TaskType = wt.Name
	t.StartDelayInSeconds = wt.StartDelay
	t.InputData = input
	t.Status = model.TaskScheduled
	t.CallbackAfterSeconds = int64(wt.StartDelay)
	t.ResponseTimeoutSeconds = def.ResponseTimeoutSeconds
	t.RateLimitPerFrequency = def.RateLimitPerFrequency
	t.RateLimitFrequencyInSeconds = def.RateLimitFrequencyInSeconds
	return []*model.WorkerTask{t}, nil
}

// userDefinedKind maps a task of a type the server does not know
// (UserDefinedTaskMapper): a worker task queued under the type, which
// needs a task definition.
type userDefinedKind struct{ workerKind }

func (userDefinedKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	wt := mc.wt
	def := wt.TaskDefinition
	if def == nil {
		d, err := e.meta.taskDef(context.Background(), wt.Name)
		if err != nil {
			return nil, err
		}
		if d == nil {
			return nil, terminate("Invalid task specified. Cannot find task by name %s in the task definitions", wt.Name)
		}
		def = d
	}
	input, err := e.taskInput(mc.x, wt.InputParameters, def, mc.taskID)
	if err != nil {
		return nil, err
	}
	t := mc.newTask(e)
	t.InputData = input
	t.Status = model.TaskScheduled
	t.CallbackAfterSeconds = int64(wt.StartDelay)
	t.RateLimitPerFrequency = def.RateLimitPerFrequency
	t.RateLimitFrequencyInSeconds = def.RateLimitFrequencyInSeconds
	return []*model.WorkerTask{t}, nil
}

// mapContext is what a kind needs to create tasks (TaskMapperContext).
type mapContext struct {
	x             *execution
	wt            *model.WorkflowTask
	retryCount    int
	retriedTaskID string
	taskID        string
}

// newTask returns a task with the fields every mapper shares
// (TaskMapperContext.createTaskModel).
func (mc *mapContext) newTask(e *Engine) *model.WorkerTask {
	wf := mc.x.wf
	return &model.WorkerTask{
		TaskId:             mc.taskID,
		ReferenceTaskName:  mc.wt.TaskReferenceName,
		WorkflowInstanceId: wf.WorkflowId,
		WorkflowType:       wf.WorkflowName,
		CorrelationId:      wf.CorrelationId,
		ScheduledTime:      e.clock.Now().UnixMilli(),
		WorkflowTask:       mc.wt,
		WorkflowPriority:   wf.Priority,
		TaskType:           mc.wt.TaskType(),
		TaskDefName:        mc.wt.Name,
		TaskDefinition:     mc.wt.TaskDefinition,
		RetryCount:         mc.retryCount,
		RetriedTaskId:      mc.retriedTaskID,
		CallbackFromWorker: true,
		OutputData:         map[string]any{},
		ExecutionMetadata:  newExecutionMetadata(),
	}
}

// newExecutionMetadata is the executionMetadata every Conductor task
// carries: an empty ExecutionMetadata with its derived getters (isEmpty,
// getAdditionalContextMap). Conductor does not store what a TaskResult
// sends there, so a task's is always this.
func newExecutionMetadata() map[string]any {
	return map[string]any{"additionalContext": map[string]any{}, "empty": true, "additionalContextMap": map[string]any{}}
}

// isAsyncComplete reports whether a system task completes only through an
// external update, so response timeouts do not apply to it.
func (k *taskKinds) isAsyncComplete(t *model.WorkerTask) bool {
	if !k.isSystem(t.TaskType) {
		return false
	}
	if v, ok := t.InputData["asyncComplete"].(bool); ok {
		return v
	}
	return t.WorkflowTask != nil && t.WorkflowTask.AsyncComplete
}

// bareWorkflowTask is the WorkflowTask TaskModel.toTask gives a task that
// has none: a new WorkflowTask (type SIMPLE, empty collections) with the
// task's name and reference name.
func bareWorkflowTask(name, ref string) *model.WorkflowTask {
	wt := []model.WorkflowTask{{Name: name, TaskReferenceName: ref}}
	model.FillTaskDefaults(wt)
	return &wt[0]
}
