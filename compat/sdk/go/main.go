// Command sdkcheck runs the official Conductor Go SDK, conductor-go v1.5.4, unchanged, against the
// Conductor-compatible server at $CONDUCTOR_SERVER_URL (for example http://127.0.0.1:8080/api).
//
// It does what the SDK's README quickstart does, with the SDK's own types only: it registers task
// definitions with the MetadataClient and a two-task workflow with the ConductorWorkflow builder, runs
// both workers with the TaskRunner, executes one workflow synchronously (WorkflowExecutor.ExecuteWorkflow,
// POST /workflow/execute), starts one and waits on MonitorExecution (the README's way), starts several
// more with StartWorkflows and WaitForRunningWorkflowsUntilTimeout, and reads every execution back.
// Any failure prints "sdkcheck go: FAIL: ..." and exits 1; success prints "sdkcheck go: PASS ...".
//
// This is a program, not a test: the TaskRunner's goroutines cannot be stopped (its own doc says so),
// so only process exit ends them. The nested module keeps conductor-go out of Baton's go.mod.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/conductor-sdk/conductor-go/sdk/client"
	"github.com/conductor-sdk/conductor-go/sdk/model"
	"github.com/conductor-sdk/conductor-go/sdk/worker"
	"github.com/conductor-sdk/conductor-go/sdk/workflow/executor"
	log "github.com/sirupsen/logrus"
)

// Defaults, overridable from the environment (SDK_CHECK_TIMEOUT in seconds, SDK_CHECK_WORKFLOWS).
const (
	defaultTimeout   = 120 * time.Second
	defaultWorkflows = 5
)

func main() {
	start := time.Now()
	if os.Getenv("CONDUCTOR_SERVER_URL") == "" {
		fail("CONDUCTOR_SERVER_URL is not set: point it at the server's API, e.g. http://127.0.0.1:8080/api")
	}
	timeout := envDuration("SDK_CHECK_TIMEOUT", defaultTimeout)
	// A hung call (the SDK retries some for up to a minute) must not hang CI: the whole check is bounded.
	time.AfterFunc(timeout, func() { fail("did not finish within %s (SDK_CHECK_TIMEOUT)", timeout) })
	log.SetLevel(log.WarnLevel) // the SDK logs every poll at info

	if os.Getenv("SDK_CHECK_EXPECT") == "refused" {
		if err := checkRefused(); err != nil {
			fail("%v", err)
		}
		fmt.Printf("sdkcheck go: PASS conductor-go v1.5.4 against %s: a wrong key secret is refused with a 401 (%.1f s)\n",
			os.Getenv("CONDUCTOR_SERVER_URL"), time.Since(start).Seconds())
		return
	}
	n := envInt("SDK_CHECK_WORKFLOWS", defaultWorkflows)
	names := newNames(os.Getenv("SDK_CHECK_RUN_ID"))
	if err := run(names, n); err != nil {
		fail("%v", err)
	}
	fmt.Printf("sdkcheck go: PASS conductor-go v1.5.4 against %s %s: 1 executed + %d started workflows and the DSL workflow completed (%.1f s)\n",
		os.Getenv("CONDUCTOR_SERVER_URL"), authMode(), n+1, time.Since(start).Seconds())
}

func run(names names, n int) error {
	// The README's three globals.
	apiClient := newAPIClient()
	taskRunner := worker.NewTaskRunnerWithApiClient(apiClient)
	workflowExecutor := executor.NewWorkflowExecutor(apiClient)

	if err := registerTaskDefs(client.NewMetadataClient(apiClient), names); err != nil {
		return err
	}
	wf := greetingsWorkflow(workflowExecutor, names)
	if err := wf.Register(true); err != nil {
		return fmt.Errorf("register workflow %s with ConductorWorkflow.Register: %w", names.workflow, err)
	}
	if err := checkDefinitions(client.NewMetadataClient(apiClient), names); err != nil {
		return err
	}

	if err := taskRunner.StartWorker(names.greet, greet, 2, 100*time.Millisecond); err != nil {
		return fmt.Errorf("start worker %s: %w", names.greet, err)
	}
	if err := taskRunner.StartWorker(names.shout, shout, 2, 100*time.Millisecond); err != nil {
		return fmt.Errorf("start worker %s: %w", names.shout, err)
	}

	// 1. Synchronous execution: POST /workflow/execute/{name}/{version}, waits for completion.
	run, err := workflowExecutor.ExecuteWorkflow(
		&model.StartWorkflowRequest{Name: names.workflow, Version: 1, Input: map[string]any{"name": "Gopher"}}, "")
	if err != nil {
		return fmt.Errorf("ExecuteWorkflow %s: %w", names.workflow, err)
	}
	if err := checkRun(run, "Gopher"); err != nil {
		return fmt.Errorf("ExecuteWorkflow: %w", err)
	}
	if err := checkExecution(workflowExecutor, run.WorkflowId, "Gopher", ""); err != nil {
		return err
	}
	if err := checkLogs(client.NewTaskClient(apiClient), workflowExecutor, run.WorkflowId); err != nil {
		return err
	}

	// 2. The README's way: StartWorkflow, then wait on MonitorExecution's channel.
	id, err := workflowExecutor.StartWorkflow(
		&model.StartWorkflowRequest{Name: names.workflow, Version: 1, Input: map[string]string{"name": "Monitor"}})
	if err != nil {
		return fmt.Errorf("StartWorkflow %s: %w", names.workflow, err)
	}
	channel, err := workflowExecutor.MonitorExecution(id)
	if err != nil {
		return fmt.Errorf("MonitorExecution %s: %w", id, err)
	}
	done, err := executor.WaitForWorkflowCompletionUntilTimeout(channel, 30*time.Second)
	if err != nil {
		return fmt.Errorf("workflow %s (started with StartWorkflow) did not finish: %w", id, err)
	}
	if err := checkWorkflow(done, "Monitor", ""); err != nil {
		return fmt.Errorf("MonitorExecution result of %s: %w", id, err)
	}
	if err := checkExecution(workflowExecutor, id, "Monitor", ""); err != nil {
		return err
	}

	// 3. Several more at once, each with a correlation id, monitored by the executor.
	if err := startMany(workflowExecutor, names, n); err != nil {
		return err
	}

	// 4. The DSL check: system tasks built with sdk/workflow (dsl.go).
	return runDSL(apiClient, taskRunner, workflowExecutor, names)
}

func startMany(workflowExecutor *executor.WorkflowExecutor, names names, n int) error {
	reqs := make([]*model.StartWorkflowRequest, n)
	for i := range reqs {
		reqs[i] = model.NewStartWorkflowRequest(names.workflow, 1, names.correlation(i),
			map[string]any{"name": "Worker " + strconv.Itoa(i)})
	}
	running := workflowExecutor.StartWorkflows(true, reqs...)
	for i, rw := range running {
		if rw.Err != nil {
			return fmt.Errorf("StartWorkflows request %d: %w", i, rw.Err)
		}
	}
	workflowExecutor.WaitForRunningWorkflowsUntilTimeout(30*time.Second, running...)
	for i, rw := range running {
		if rw.CompletedWorkflow == nil {
			return fmt.Errorf("workflow %s (StartWorkflows request %d) did not finish in 30 s", rw.WorkflowId, i)
		}
		name := "Worker " + strconv.Itoa(i)
		if err := checkWorkflow(rw.CompletedWorkflow, name, names.correlation(i)); err != nil {
			return fmt.Errorf("StartWorkflows request %d (%s): %w", i, rw.WorkflowId, err)
		}
		if err := checkExecution(workflowExecutor, rw.WorkflowId, name, names.correlation(i)); err != nil {
			return err
		}
	}
	// Read them back by correlation id too (POST /workflow/{name}/correlated with a list of ids).
	for i := range n {
		byCorr, err := workflowExecutor.GetByCorrelationIds(names.workflow, true, false, names.correlation(i))
		if err != nil {
			return fmt.Errorf("GetByCorrelationIds %s: %w", names.correlation(i), err)
		}
		got := byCorr[names.correlation(i)]
		if len(got) != 1 || got[0].WorkflowId != running[i].WorkflowId || got[0].Status != "COMPLETED" {
			return fmt.Errorf("GetByCorrelationIds %s: want exactly workflow %s COMPLETED, got %s",
				names.correlation(i), running[i].WorkflowId, summarize(got))
		}
	}
	return nil
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "sdkcheck go: FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func envInt(key string, def int) int {
	v, err := strconv.Atoi(os.Getenv(key))
	if err != nil || v <= 0 {
		return def
	}
	return v
}

func envDuration(key string, def time.Duration) time.Duration {
	return time.Duration(envInt(key, int(def/time.Second))) * time.Second
}
