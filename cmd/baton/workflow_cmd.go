package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

func workflowGroup() group {
	return group{name: "workflow", summary: "Start, inspect and steer workflow executions on a Conductor server.", cmds: []clientCmd{
		{name: "start", synopsis: "NAME [--version N] [--input JSON|@file] [--correlation-id ID] [--priority N]",
			summary: "start a workflow and print its id", minArgs: 1, maxArgs: 1, setup: workflowStart},
		{name: "get", synopsis: "ID", summary: "show a workflow and its tasks", minArgs: 1, maxArgs: 1, setup: workflowGet},
		{name: "search", synopsis: "[--query Q] [--free-text T] [--sort field:DESC] [--size N] [--start N] [--all]",
			summary: "search workflow executions", maxArgs: 0, setup: workflowSearch},
		{name: "terminate", synopsis: "ID... [--reason R]", summary: "terminate running workflows", minArgs: 1, maxArgs: -1,
			setup: workflowOp("terminate", func(fs *flag.FlagSet) opFunc {
				reason := fs.String("reason", "", "why, recorded as the workflow's reasonForIncompletion")
				return func(ctx context.Context, c *client.APIClient, id string) error {
					return c.Workflows().Terminate(ctx, id, *reason)
				}
			})},
		{name: "pause", synopsis: "ID...", summary: "pause running workflows (no new tasks are scheduled)", minArgs: 1, maxArgs: -1,
			setup: workflowOp("pause", func(*flag.FlagSet) opFunc {
				return func(ctx context.Context, c *client.APIClient, id string) error { return c.Workflows().Pause(ctx, id) }
			})},
		{name: "resume", synopsis: "ID...", summary: "resume paused workflows", minArgs: 1, maxArgs: -1,
			setup: workflowOp("resume", func(*flag.FlagSet) opFunc {
				return func(ctx context.Context, c *client.APIClient, id string) error { return c.Workflows().Resume(ctx, id) }
			})},
		{name: "retry", synopsis: "ID... [--resume-subworkflow-tasks]", summary: "retry failed workflows from their last failed task",
			minArgs: 1, maxArgs: -1,
			setup: workflowOp("retry", func(fs *flag.FlagSet) opFunc {
				resume := fs.Bool("resume-subworkflow-tasks", false, "retry inside failed sub-workflows instead of restarting them")
				return func(ctx context.Context, c *client.APIClient, id string) error {
					return c.Workflows().Retry(ctx, id, *resume)
				}
			})},
		{name: "restart", synopsis: "ID... [--use-latest-definitions]", summary: "restart ended workflows from the beginning",
			minArgs: 1, maxArgs: -1,
			setup: workflowOp("restart", func(fs *flag.FlagSet) opFunc {
				latest := fs.Bool("use-latest-definitions", false, "run the latest version of the definitions")
				return func(ctx context.Context, c *client.APIClient, id string) error {
					return c.Workflows().Restart(ctx, id, *latest)
				}
			})},
		{name: "rerun", synopsis: "ID [--from-task TASK_ID] [--input JSON|@file] [--task-input JSON|@file]",
			summary: "rerun an ended workflow, from a task if given", minArgs: 1, maxArgs: 1, setup: workflowRerun},
	}}
}

func workflowStart(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	version := fs.Int("version", 0, "definition `version`; 0 runs the latest")
	input := fs.String("input", "", "workflow input, a JSON object, or @file to read it from a file")
	corr := fs.String("correlation-id", "", "correlation `id` to tag the execution with")
	priority := fs.Int("priority", 0, "priority 0 (lowest, default) to 99")
	return func(ctx context.Context, c *cli, args []string) error {
		if *priority < 0 || *priority > 99 {
			return usagef("--priority %d: want 0 to 99", *priority)
		}
		if *version < 0 {
			return usagef("--version %d must not be negative", *version)
		}
		in, err := jsonObject("input", *input)
		if err != nil {
			return err
		}
		id, err := c.client.Workflows().StartByName(ctx, args[0], in,
			client.StartOptions{Version: *version, CorrelationID: *corr, Priority: *priority})
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(map[string]string{"workflowId": id})
		}
		_, err = fmt.Fprintln(c.stdout, id)
		return err
	}
}

func workflowGet(*flag.FlagSet) func(context.Context, *cli, []string) error {
	return func(ctx context.Context, c *cli, args []string) error {
		wf, err := c.client.Workflows().Get(ctx, args[0], true)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(wf)
		}
		tw := c.table()
		fmt.Fprintf(tw, "Workflow:\t%s\n", wf.WorkflowId)
		fmt.Fprintf(tw, "Name:\t%s v%d\n", wf.WorkflowName, wf.WorkflowVersion)
		fmt.Fprintf(tw, "Status:\t%s\n", wf.Status)
		if wf.ReasonForIncompletion != "" {
			fmt.Fprintf(tw, "Reason:\t%s\n", wf.ReasonForIncompletion)
		}
		fmt.Fprintf(tw, "Correlation:\t%s\n", orDash(wf.CorrelationId))
		fmt.Fprintf(tw, "Started:\t%s\n", millis(wf.StartTime))
		fmt.Fprintf(tw, "Ended:\t%s\n", millis(wf.EndTime))
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(wf.Tasks) == 0 {
			_, err := fmt.Fprintln(c.stdout, "\nNo tasks.")
			return err
		}
		fmt.Fprintln(c.stdout)
		tw = c.table()
		fmt.Fprintln(tw, "REF\tTYPE\tSTATUS\tRETRY\tTASK ID\tWORKER\tREASON")
		for _, t := range wf.Tasks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", t.ReferenceTaskName, t.TaskType, t.Status, t.RetryCount,
				t.TaskId, orDash(t.WorkerId), orDash(t.ReasonForIncompletion))
		}
		return tw.Flush()
	}
}

// searchPage is the most results one search request asks for when --all
// pages through everything (Conductor serves at most 5000).
const searchPage = 1000

func workflowSearch(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	query := fs.String("query", "", "filter, e.g. \"workflowType = 'orders' AND status IN (RUNNING,FAILED)\"")
	freeText := fs.String("free-text", "", "match any field; default *")
	sortBy := fs.String("sort", "", "order, `field:ASC` or field:DESC, e.g. startTime:DESC")
	size := fs.Int("size", 100, "most results to print (one page)")
	start := fs.Int("start", 0, "offset of the first result")
	all := fs.Bool("all", false, "page through every match (progress on stderr)")
	return func(ctx context.Context, c *cli, _ []string) error {
		if *size <= 0 || *start < 0 {
			return usagef("--size must be positive and --start not negative")
		}
		opts := client.SearchOptions{Start: *start, Size: *size, Query: *query, FreeText: *freeText}
		if *sortBy != "" {
			opts.Sort = []string{*sortBy}
		}
		if *all {
			opts.Size = searchPage
		}
		var res model.SearchResult[model.WorkflowSummary]
		for {
			page, err := c.client.Workflows().Search(ctx, opts)
			if err != nil {
				return err
			}
			res.TotalHits = page.TotalHits
			res.Results = append(res.Results, page.Results...)
			if !*all || len(page.Results) == 0 || int64(opts.Start+len(page.Results)) >= page.TotalHits {
				break
			}
			opts.Start += len(page.Results)
			c.progress("search: %d of %d workflows", len(res.Results), page.TotalHits)
		}
		if res.Results == nil {
			res.Results = []model.WorkflowSummary{}
		}
		if c.json {
			return c.printJSON(res)
		}
		tw := c.table()
		fmt.Fprintln(tw, "WORKFLOW ID\tNAME\tVERSION\tSTATUS\tSTARTED\tCORRELATION")
		for _, w := range res.Results {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", w.WorkflowId, w.WorkflowType, w.Version, w.Status,
				orDash(w.StartTime), orDash(w.CorrelationId))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		c.progress("%d of %d matching workflows", len(res.Results), res.TotalHits)
		return nil
	}
}

// opFunc does one operation on one workflow.
type opFunc func(ctx context.Context, c *client.APIClient, id string) error

// opResult is one workflow's outcome in --json output.
type opResult struct {
	WorkflowID string `json:"workflowId"`
	OK         bool   `json:"ok"`
	Error      string `json:"error,omitempty"`
	ExitCode   int    `json:"exitCode"`
}

// workflowOp builds a command that does op to each id in turn. With
// several ids each is tried; the exit code is the first failure's.
func workflowOp(verb string, flags func(fs *flag.FlagSet) opFunc) func(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	return func(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
		do := flags(fs)
		op := func(ctx context.Context, c *client.APIClient, id string) error {
			err := do(ctx, c, id)
			if errors.Is(err, client.ErrNotFound) {
				// Conductor answers some refusals for the workflow's state
				// with 404 (WorkflowExecutorOps.retry: "Workflow is still
				// running"): if the workflow exists, the 404 is about its
				// state, and scripts get 4, not 3.
				if _, gerr := c.Workflows().Status(ctx, id, false, false); gerr == nil {
					return &stateError{msg: err.Error(), err: err}
				}
			}
			return err
		}
		return func(ctx context.Context, c *cli, ids []string) error {
			if len(ids) == 1 && !c.json {
				if err := op(ctx, c.client, ids[0]); err != nil {
					return err
				}
				_, err := fmt.Fprintf(c.stdout, "%s: %s ok\n", ids[0], verb)
				return err
			}
			results := make([]opResult, 0, len(ids))
			var first error
			for i, id := range ids {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				err := op(ctx, c.client, id)
				r := opResult{WorkflowID: id, OK: err == nil, ExitCode: exitCode(err)}
				if err != nil {
					r.Error = err.Error()
					if first == nil {
						first = err
					}
				}
				results = append(results, r)
				if len(ids) > 1 {
					c.progress("%s: %d/%d %s", verb, i+1, len(ids), map[bool]string{true: "ok", false: "failed"}[err == nil])
				}
			}
			if c.json {
				if err := c.printJSON(results); err != nil {
					return err
				}
			} else {
				tw := c.table()
				fmt.Fprintln(tw, "WORKFLOW ID\tRESULT")
				for _, r := range results {
					fmt.Fprintf(tw, "%s\t%s\n", r.WorkflowID, map[bool]string{true: verb + " ok", false: r.Error}[r.OK])
				}
				if err := tw.Flush(); err != nil {
					return err
				}
			}
			if first != nil {
				return &failedOpError{n: countFailed(results), of: len(ids), first: first}
			}
			return nil
		}
	}
}

func countFailed(rs []opResult) int {
	n := 0
	for _, r := range rs {
		if !r.OK {
			n++
		}
	}
	return n
}

// failedOpError reports how many of several workflows failed, and carries
// the first failure for the exit code.
type failedOpError struct {
	n, of int
	first error
}

func (e *failedOpError) Error() string {
	return strconv.Itoa(e.n) + " of " + strconv.Itoa(e.of) + " failed; first: " + e.first.Error()
}
func (e *failedOpError) Unwrap() error { return e.first }

func workflowRerun(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	fromTask := fs.String("from-task", "", "task `id` to rerun from; default the start")
	input := fs.String("input", "", "new workflow input, a JSON object or @file")
	taskInput := fs.String("task-input", "", "new input of the --from-task task, a JSON object or @file")
	return func(ctx context.Context, c *cli, args []string) error {
		in, err := jsonObject("input", *input)
		if err != nil {
			return err
		}
		tin, err := jsonObject("task-input", *taskInput)
		if err != nil {
			return err
		}
		if tin != nil && *fromTask == "" {
			return usagef("--task-input needs --from-task")
		}
		id, err := c.client.Workflows().Rerun(ctx, args[0], &model.RerunWorkflowRequest{
			ReRunFromWorkflowId: args[0], ReRunFromTaskId: *fromTask, WorkflowInput: in, TaskInput: tin})
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(map[string]string{"workflowId": id})
		}
		_, err = fmt.Fprintln(c.stdout, id)
		return err
	}
}
