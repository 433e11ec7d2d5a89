package workflow

import (
	"time"
)

// WaitTask is a WAIT task: it waits until completed through the API, for a
// duration, or until a time.
type WaitTask struct {
	Task
}

// NewWaitTask returns a WAIT task that waits until it is completed through
// the API (WorkflowExecutor.UpdateTaskByRefName, or a signal).
func NewWaitTask(taskRefName string) *WaitTask {
	return &WaitTask{newTask(taskRefName, taskRefName, WAIT, nil)}
}

// NewWaitForDurationTask returns a WAIT task that completes duration after
// it starts. The duration is sent as Go writes it ("1h30m0s"), rounded up to
// whole seconds: Conductor's duration grammar has no fractions.
func NewWaitForDurationTask(taskRefName string, duration time.Duration) *WaitTask {
	if r := duration % time.Second; r > 0 {
		duration += time.Second - r
	}
	return &WaitTask{newTask(taskRefName, taskRefName, WAIT, map[string]any{"duration": duration.String()})}
}

// NewWaitUntilTask returns a WAIT task that completes at dateTime, written
// "2006-01-02 15:04", "2006-01-02 15:04 MST" or "2006-01-02".
func NewWaitUntilTask(taskRefName string, dateTime string) *WaitTask {
	return &WaitTask{newTask(taskRefName, taskRefName, WAIT, map[string]any{"until": dateTime})}
}

// HumanTask is a HUMAN task: it stays IN_PROGRESS until completed through
// the API.
type HumanTask struct {
	Task
}

// NewHumanTask returns a HUMAN task.
func NewHumanTask(taskRefName string) *HumanTask {
	return &HumanTask{newTask(taskRefName, taskRefName, HUMAN, nil)}
}
