package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/batonhq/baton/model"
)

func taskGroup() group {
	return group{name: "task", summary: "Inspect tasks, complete or fail them by hand, and read queue sizes.", cmds: []clientCmd{
		{name: "get", synopsis: "TASK_ID", summary: "show a task", minArgs: 1, maxArgs: 1, setup: taskGet},
		{name: "complete", synopsis: "TASK_ID | WORKFLOW_ID TASK_REF [--output JSON|@file]",
			summary: "complete a pending task (a WAIT or HUMAN task, or a worker's)", minArgs: 1, maxArgs: 2,
			setup: taskResult(model.CompletedTask)},
		{name: "fail", synopsis: "TASK_ID | WORKFLOW_ID TASK_REF [--reason R] [--terminal] [--output JSON|@file]",
			summary: "fail a pending task (retried per its definition unless --terminal)", minArgs: 1, maxArgs: 2,
			setup: taskResult(model.FailedTask)},
		{name: "queue", synopsis: "TASK_TYPE... [--domain D]", summary: "print how many tasks wait in each queue",
			minArgs: 1, maxArgs: -1, setup: taskQueue},
	}}
}

func taskGet(*flag.FlagSet) func(context.Context, *cli, []string) error {
	return func(ctx context.Context, c *cli, args []string) error {
		t, err := c.client.Tasks().Get(ctx, args[0])
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(t)
		}
		tw := c.table()
		fmt.Fprintf(tw, "Task:\t%s\n", t.TaskId)
		fmt.Fprintf(tw, "Type:\t%s\n", t.TaskType)
		fmt.Fprintf(tw, "Ref:\t%s\n", t.ReferenceTaskName)
		fmt.Fprintf(tw, "Status:\t%s\n", t.Status)
		fmt.Fprintf(tw, "Workflow:\t%s\n", t.WorkflowInstanceId)
		fmt.Fprintf(tw, "Retry:\t%d\n", t.RetryCount)
		fmt.Fprintf(tw, "Worker:\t%s\n", orDash(t.WorkerId))
		fmt.Fprintf(tw, "Domain:\t%s\n", orDash(t.Domain))
		fmt.Fprintf(tw, "Scheduled:\t%s\n", millis(t.ScheduledTime))
		fmt.Fprintf(tw, "Started:\t%s\n", millis(t.StartTime))
		fmt.Fprintf(tw, "Ended:\t%s\n", millis(t.EndTime))
		if t.ReasonForIncompletion != "" {
			fmt.Fprintf(tw, "Reason:\t%s\n", t.ReasonForIncompletion)
		}
		return tw.Flush()
	}
}

// taskResult builds complete and fail. The task is read first, so a task
// that has already ended is reported (exit 4) instead of being silently
// ignored, as Conductor ignores updates of ended tasks.
func taskResult(status model.TaskResultStatus) func(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	return func(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
		output := fs.String("output", "", "task output, a JSON object or @file")
		worker := fs.String("worker-id", "baton-cli", "workerId recorded on the task")
		var reason *string
		var terminal *bool
		if status == model.FailedTask {
			reason = fs.String("reason", "", "reasonForIncompletion recorded on the task")
			terminal = fs.Bool("terminal", false, "fail with FAILED_WITH_TERMINAL_ERROR: no retries")
		}
		return func(ctx context.Context, c *cli, args []string) error {
			out, err := jsonObject("output", *output)
			if err != nil {
				return err
			}
			t, err := findTask(ctx, c, args)
			if err != nil {
				return err
			}
			if t.Status.IsTerminal() {
				return &stateError{msg: fmt.Sprintf("task %s (%s) has already ended: %s", t.TaskId, t.ReferenceTaskName, t.Status)}
			}
			r := &model.TaskResult{WorkflowInstanceId: t.WorkflowInstanceId, TaskId: t.TaskId, Status: status,
				OutputData: out, WorkerId: *worker}
			if reason != nil {
				r.ReasonForIncompletion = *reason
				if *terminal {
					r.Status = model.FailedWithTerminalErrorTask
				}
			}
			if _, err := c.client.Tasks().Update(ctx, r); err != nil {
				return err
			}
			if c.json {
				return c.printJSON(map[string]string{"taskId": t.TaskId, "workflowId": t.WorkflowInstanceId,
					"referenceTaskName": t.ReferenceTaskName, "status": string(r.Status)})
			}
			_, err = fmt.Fprintf(c.stdout, "%s (%s): %s\n", t.TaskId, t.ReferenceTaskName, r.Status)
			return err
		}
	}
}

// findTask reads the task named by TASK_ID, or the latest task with
// TASK_REF in workflow WORKFLOW_ID.
func findTask(ctx context.Context, c *cli, args []string) (*model.WorkerTask, error) {
	if len(args) == 1 {
		return c.client.Tasks().Get(ctx, args[0])
	}
	wf, err := c.client.Workflows().Get(ctx, args[0], true)
	if err != nil {
		return nil, err
	}
	for i := len(wf.Tasks) - 1; i >= 0; i-- {
		if wf.Tasks[i].ReferenceTaskName == args[1] {
			t := wf.Tasks[i]
			return &t, nil
		}
	}
	return nil, &notFoundError{fmt.Sprintf("workflow %s has no task with reference name %q", args[0], args[1])}
}

// notFoundError is something the command looked for and did not find:
// exit code 3.
type notFoundError struct{ msg string }

func (e *notFoundError) Error() string { return e.msg }

type queueSize struct {
	TaskType string `json:"taskType"`
	Domain   string `json:"domain"`
	Size     int    `json:"size"`
}

func taskQueue(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	domain := fs.String("domain", "", "the queue of this `domain`; default the queue without one")
	return func(ctx context.Context, c *cli, types []string) error {
		sizes := make([]queueSize, 0, len(types))
		for _, tt := range types {
			n, err := c.client.Tasks().QueueSize(ctx, tt, *domain)
			if err != nil {
				return err
			}
			sizes = append(sizes, queueSize{TaskType: tt, Domain: *domain, Size: n})
		}
		if c.json {
			return c.printJSON(sizes)
		}
		tw := c.table()
		fmt.Fprintln(tw, "TASK TYPE\tDOMAIN\tSIZE")
		for _, s := range sizes {
			fmt.Fprintf(tw, "%s\t%s\t%d\n", s.TaskType, orDash(s.Domain), s.Size)
		}
		return tw.Flush()
	}
}
