package sdkcheck_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// sampleOutput is what the sample worker program's SampleWorker reports for every task.
var sampleOutput = map[string]any{"outputKey1": "value", "oddEven": float64(1), "mod": float64(4)}

// TestSampleWorkerProgram builds examples/sampleworker, runs it against the real server
// (through a recording proxy) and starts task_1 → task_2 workflows: each
// completes with the program's output, the program's own requests completed
// them, and SIGTERM ends it with exit code 0 after its graceful shutdown.
//
// The program's task names are fixed, so another run's program may poll the same
// queues: the test checks its own workflows (own name, own correlation ids),
// and requires only some of their tasks to be completed by its own child.
func TestSampleWorkerProgram(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.newRecorder()

	bin := filepath.Join(t.TempDir(), "sampleworker")
	build := exec.CommandContext(e.ctx, "go", "build", "-o", bin, ".")
	build.Dir = filepath.Join("..", "..", "examples", "sampleworker")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build examples/sampleworker:\n%s", out)

	wf := e.name("sample_wf")
	e.registerWorkflow(wf, map[string]any{"first": "${t1.output.outputKey1}", "second": "${t2.output}"},
		simple("task_1", "t1", map[string]any{"n": "${workflow.input.n}"}),
		simple("task_2", "t2", map[string]any{"from": "${t1.output.mod}"}))

	ctx, cancel := context.WithCancel(e.ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), settings.EnvServerURL+"="+rec.URL)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	var waitErr error // written before exited is closed
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() { // a failed test must not leave the program running
		cancel()
		<-exited
	})

	const n = 3
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.start(wf, map[string]any{"n": i}, fmt.Sprintf("%s-sample-%d", e.prefix, i))
	}
	mine := map[string]bool{}
	for _, id := range ids {
		w := e.awaitStatus(id, model.WorkflowCompleted)
		require.Len(t, w.Tasks, 2, describe(w))
		for _, task := range w.Tasks {
			require.Equal(t, model.TaskCompleted, task.Status, describe(w))
			require.Equal(t, sampleOutput, task.OutputData, "task %s of %s", task.ReferenceTaskName, id)
			mine[task.TaskId] = true
		}
		require.Equal(t, "value", w.Output["first"])
		require.Equal(t, sampleOutput, w.Output["second"])
		require.Equal(t, float64(4), w.TaskByRefName("t2").InputData["from"], "task_2's input comes from task_1's output")
	}

	// The child's own requests completed (some of) these tasks, with the
	// program's output, through update-v2 or the plain update.
	byChild := rec.find(func(x exchange) bool {
		r := x.result()
		return (isUpdate(x) || isUpdateV2(x)) && x.Status/100 == 2 && mine[r.TaskId] && r.Status == model.CompletedTask
	})
	require.NotEmpty(t, byChild, "the sample worker program reported none of this test's tasks")
	t.Logf("the sample worker program reported %d of this test's %d tasks", len(byChild), 2*n)
	require.Equal(t, sampleOutput, byChild[0].result().OutputData)
	require.NotEmpty(t, rec.find(batchPollOf("task_1")), "the sample worker program polls task_1")
	require.NotEmpty(t, rec.find(batchPollOf("task_2")), "the sample worker program polls task_2")

	// SIGTERM: graceful shutdown, exit code 0, well within the shutdown timeout.
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	signalled := time.Now()
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	select {
	case <-exited:
		var ee *exec.ExitError
		if errors.As(waitErr, &ee) {
			t.Fatalf("the sample worker program exited with %v after SIGTERM; want exit code 0", ee.ProcessState)
		}
		require.NoError(t, waitErr)
		t.Logf("the sample worker program exited 0 %v after SIGTERM", time.Since(signalled))
	case <-timer.C:
		t.Fatal("the sample worker program did not exit within 30 s of SIGTERM")
	}
}
