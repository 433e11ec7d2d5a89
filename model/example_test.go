package model_test

import (
	"errors"
	"fmt"

	"github.com/batonhq/baton/model"
)

// SampleWorker is the worker of Conductor's Go documentation: it reports
// its output through a TaskResult.
func SampleWorker(t *model.WorkerTask) (interface{}, error) {
	taskResult := model.NewTaskResultFromTask(t)
	taskResult.Status = model.CompletedTask
	taskResult.OutputData = map[string]interface{}{
		"outputKey1": "value",
		"oddEven":    1,
		"mod":        4,
	}
	return taskResult, nil
}

func ExampleNewTaskResultFromTask() {
	task := &model.WorkerTask{TaskId: "t-1", WorkflowInstanceId: "wf-1", WorkerId: "worker-a"}
	out, _ := SampleWorker(task)
	r := out.(*model.TaskResult)
	fmt.Println(r.TaskId, r.WorkflowInstanceId, r.WorkerId, r.Status, r.OutputData["mod"])
	// Output: t-1 wf-1 worker-a COMPLETED 4
}

func ExampleNewTerminalError() {
	charge := func(t *model.WorkerTask) (interface{}, error) {
		if t.InputData["card"] == nil {
			// No retry can fix a missing card: fail the task for good.
			return nil, model.NewTerminalError(errors.New("no card on file"))
		}
		return map[string]any{"charged": true}, nil
	}
	task := &model.WorkerTask{TaskId: "t-2", WorkflowInstanceId: "wf-2", WorkerId: "worker-a"}
	_, err := charge(task)
	r := model.NewTaskResultFromTaskWithError(task, fmt.Errorf("charge: %w", err))
	fmt.Println(r.Status, r.ReasonForIncompletion)
	// Output: FAILED_WITH_TERMINAL_ERROR charge: no card on file
}
