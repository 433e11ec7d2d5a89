package engine

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/batonhq/baton/model"
)

// builtIn lists the types Conductor never retries (TaskType.isBuiltIn).
var builtIn = map[string]bool{
	model.TaskTypeDecision: true, model.TaskTypeSwitch: true, "FORK": true, model.TaskTypeForkJoin: true,
	model.TaskTypeJoin: true, model.TaskTypeExclusiveJoin: true, model.TaskTypeDoWhile: true,
}

// retry decides what happens to a task that ended unsuccessfully
// (DeciderService.retry): a new attempt, delayed per the definition's
// retry logic; nothing (optional or permissive tasks with no attempts
// left); or the end of the workflow.
func (e *Engine) retry(ctx context.Context, x *execution, def *model.TaskDef, wt *model.WorkflowTask, t *model.WorkerTask) (*model.WorkerTask, error) {
	if def == nil {
		d, err := e.meta.taskDef(ctx, t.TaskDefName)
		if err != nil {
			return nil, err
		}
		def = d
	}
	expected := 0
	if def != nil {
		expected = def.RetryCount
		if wt != nil && wt.RetryCount != nil {
			expected = *wt.RetryCount
		}
	}
	if !t.Status.IsRetriable() || builtIn[t.TaskType] || expected <= t.RetryCount {
		if wt != nil && (wt.Optional || wt.Permissive) {
			return nil, nil
		}
		status := model.WorkflowFailed
		switch t.Status {
		case model.TaskCanceled:
			status = model.WorkflowTerminated
		case model.TaskTimedOut:
			status = model.WorkflowTimedOut
		}
		e.updateWorkflowOutput(x, t)
		return nil, &terminateErr{
			reason: fmt.Sprintf("Task %s failed with status: %s and reason: '%s'", t.TaskId, status, nullStr(t.ReasonForIncompletion)),
			status: status, task: t,
		}
	}
	now := e.clock.Now()
	if def.TotalTimeoutSeconds > 0 {
		if first := firstScheduled(x, t); first > 0 {
			elapsed := (now.UnixMilli() - first) / 1000
			if elapsed >= def.TotalTimeoutSeconds {
				status := model.WorkflowFailed
				if t.Status == model.TaskTimedOut {
					status = model.WorkflowTimedOut
				}
				e.updateWorkflowOutput(x, t)
				return nil, &terminateErr{
					reason: fmt.Sprintf("Task %s/%s exceeded total timeout of %d seconds (elapsed %d seconds across all attempts). No further retries will be attempted.",
						t.TaskId, t.TaskDefName, def.TotalTimeoutSeconds, elapsed),
					status: status, task: t,
				}
			}
		}
	}
	delay := retryDelaySeconds(def, t.RetryCount)
	t.Retried = true
	total := time.Duration(delay) * time.Second
	if def.BackoffJitterMs > 0 {
		total += time.Duration(rand.Int64N(int64(def.BackoffJitterMs)+1)) * time.Millisecond
	}

	r := *t
	r.TaskId = e.ids()
	r.RetriedTaskId = t.TaskId
	r.RetryCount = t.RetryCount + 1
	r.Retried = false
	r.Executed = false
	r.Status = model.TaskScheduled
	r.PollCount = 0
	r.StartDelayInSeconds = int(delay)
	r.CallbackAfterSeconds = int64(delay)
	r.ReasonForIncompletion = t.ReasonForIncompletion // carried over, as Conductor does
	r.SubWorkflowId = ""
	r.Seq = 0
	r.ScheduledTime, r.StartTime, r.EndTime, r.UpdateTime = 0, 0, 0, 0
	r.QueueWaitTime = 0
	r.WorkerId = ""
	r.OutputData = map[string]any{}
	r.ExternalOutputPayloadStoragePath = ""
	input := copyMap(t.InputData)
	if input == nil {
		input = map[string]any{}
	}
	delete(input, "subWorkflowId")
	if wt != nil && x.def().SchemaVersion > 1 {
		fresh, err := e.taskInput(x, wt.InputParameters, def, r.TaskId)
		if err != nil {
			return nil, err
		}
		for k, v := range fresh {
			input[k] = v
		}
	}
	r.InputData = input
	if x.delays == nil {
		x.delays = map[string]time.Duration{}
	}
	x.delays[r.TaskId] = total
	return &r, nil
}

// retryDelaySeconds computes the delay before attempt retryCount+1 with
// Conductor's int arithmetic (DeciderService.retry): FIXED is
// retryDelaySeconds; LINEAR_BACKOFF retryDelaySeconds × backoffScaleFactor ×
// (retryCount+1); EXPONENTIAL_BACKOFF retryDelaySeconds × 2^retryCount. An
// overflow becomes the largest int; maxRetryDelaySeconds (if > 0) caps it.
func retryDelaySeconds(def *model.TaskDef, retryCount int) int32 {
	d := int32(def.RetryDelaySeconds)
	switch def.RetryLogic {
	case model.RetryLinearBackoff:
		d = int32(def.RetryDelaySeconds) * int32(def.BackoffScaleFactor) * int32(retryCount+1)
		if d < 0 {
			d = math.MaxInt32
		}
	case model.RetryExponentialBackoff:
		d = int32(def.RetryDelaySeconds) * javaIntPow2(retryCount)
		if d < 0 {
			d = math.MaxInt32
		}
	}
	if c := int32(def.MaxRetryDelaySeconds); c > 0 && d > c {
		d = c
	}
	return d
}

// javaIntPow2 is (int) Math.pow(2, n): a double cast to int saturates.
func javaIntPow2(n int) int32 {
	if n >= 31 {
		return math.MaxInt32
	}
	if n < 0 {
		return 0
	}
	return int32(1) << n
}

// firstScheduled returns when the first attempt of a task was scheduled
// (TaskModel.firstScheduledTime, carried across retries), following the
// chain of retriedTaskId back through the workflow's tasks.
func firstScheduled(x *execution, t *model.WorkerTask) int64 {
	first := t.ScheduledTime
	seen := 0
	for cur := t; cur.RetriedTaskId != "" && seen < len(x.tasks); seen++ {
		prev := x.taskByID(cur.RetriedTaskId)
		if prev == nil {
			break
		}
		if prev.ScheduledTime > 0 {
			first = prev.ScheduledTime
		}
		cur = prev
	}
	return first
}
