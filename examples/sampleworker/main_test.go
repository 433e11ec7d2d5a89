package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/model"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestSampleWorker(t *testing.T) {
	t.Parallel()
	r, err := SampleWorker(&model.WorkerTask{TaskId: "t1", WorkflowInstanceId: "wf1"})
	require.NoError(t, err)
	res, ok := r.(*model.TaskResult)
	require.True(t, ok)
	require.Equal(t, model.CompletedTask, res.Status)
	require.Equal(t, "t1", res.TaskId)
	require.Equal(t, "wf1", res.WorkflowInstanceId)
	require.Equal(t, map[string]interface{}{"outputKey1": "value", "oddEven": 1, "mod": 4}, res.OutputData)
}

// TestSampleWorkerProgramRuns builds the program, runs it against a stand-in
// Conductor that has one task_1 and one task_2, waits for both results and
// stops it with SIGTERM: it must exit 0 after its graceful shutdown.
func TestSampleWorkerProgramRuns(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "sampleworker")
	build := exec.Command(goBin, "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))

	var mu sync.Mutex
	queued := map[string][]model.WorkerTask{
		"task_1": {{TaskType: "task_1", TaskId: "a", WorkflowInstanceId: "wf"}},
		"task_2": {{TaskType: "task_2", TaskId: "b", WorkflowInstanceId: "wf"}},
	}
	results := make(chan model.TaskResult, 2)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tasks/poll/batch/{type}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got := queued[r.PathValue("type")]
		delete(queued, r.PathValue("type"))
		mu.Unlock()
		_ = json.NewEncoder(w).Encode(append([]model.WorkerTask{}, got...))
	})
	report := func(w http.ResponseWriter, r *http.Request) {
		var res model.TaskResult
		if err := json.NewDecoder(r.Body).Decode(&res); err != nil {
			t.Errorf("malformed result: %v", err)
		}
		results <- res
		w.WriteHeader(http.StatusNoContent)
	}
	mux.HandleFunc("POST /api/tasks", report)
	mux.HandleFunc("POST /api/tasks/update-v2", report)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second) // watchdog
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), "CONDUCTOR_SERVER_URL="+srv.URL+"/api")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	require.NoError(t, cmd.Start())

	got := map[string]model.TaskResult{}
	for range 2 {
		select {
		case r := <-results:
			got[r.TaskId] = r
		case <-ctx.Done():
			t.Fatal("the program reported no results within 60s")
		}
	}
	require.Equal(t, model.CompletedTask, got["a"].Status)
	require.Equal(t, model.CompletedTask, got["b"].Status)
	require.Equal(t, "value", got["a"].OutputData["outputKey1"])

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), "the program exits 0 after a graceful shutdown")
}
