package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// startFileServer starts a Baton server on a free loopback port with its
// database in the file db and clk as its clock (nil: the wall clock), stopped when the test ends (Stop is idempotent),
// and returns it with an admin client of its own.
func startFileServer(t *testing.T, db string, clk server.Clock) (*server.Server, *client.APIClient) {
	t.Helper()
	srv, err := server.New(&server.Config{Addr: "127.0.0.1:0", DBPath: db, Clock: clk})
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, srv.Stop(ctx))
	})
	require.NoError(t, srv.Start(t.Context()))
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	api, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(srv.URL()), HTTPClient: &http.Client{Transport: tr},
	})
	require.NoError(t, err)
	return srv, api
}

// TestResultsSurviveServerRestart runs a server on a SQLite file and stops
// it while the worker holds three tasks, with three more queued. The
// handlers finish while the server is down: their results fail (the proxy
// answers 502) and are retried until a new server on the same file is up.
// Every workflow then completes, each task run and recorded once.
func TestResultsSurviveServerRestart(t *testing.T) {
	t.Parallel()
	resultsSurviveRestart(t, 0)
}

// TestResultsSurviveThirtySecondOutage is TestResultsSurviveServerRestart
// with the server back 30 s later by its own clock (an offset clock moved
// ahead before the new server starts, not 30 real seconds), on tasks whose
// response timeout (60 s) outlives the outage: the results the worker kept
// are taken, none is refused as late, no task is run twice.
func TestResultsSurviveThirtySecondOutage(t *testing.T) {
	t.Parallel()
	resultsSurviveRestart(t, 30*time.Second)
}

func resultsSurviveRestart(t *testing.T, outage time.Duration) {
	const workflows, slots = 6, 3
	db := filepath.Join(t.TempDir(), "baton.db")
	clk := newOffsetClock()
	first, admin := startFileServer(t, db, clk)
	e := newEnvFor(t, first.URL(), admin)
	e.chain("rs_flow", []model.TaskDef{taskDef("rs", func(d *model.TaskDef) { d.ResponseTimeoutSeconds = 60 })}, "rs", "rs")

	g := newGate(2 * workflows)
	runs := newCalls()
	host := e.newHost()
	e.startWorker(host, worker.WorkerConfig{TaskName: "rs", Concurrency: slots, Func: func(task *model.WorkerTask) (any, error) {
		n := runs.add(task.TaskId)
		g.started <- task
		<-g.release
		return map[string]any{"taskId": task.TaskId, "call": n}, nil
	}})
	ids := make([]string, workflows)
	for i := range ids {
		ids[i] = e.start("rs_flow", nil, nil)
	}
	g.await(t, slots)

	stopCtx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	require.NoError(t, first.Stop(stopCtx))
	close(g.release) // every handler returns now, and any later one at once
	e.proxy.waitFor(t, "results to fail while the server is down", func() bool {
		failed := 0
		for _, r := range e.proxy.results {
			if r.outcome == "status 502" {
				failed++
			}
		}
		return failed >= 2*slots
	})

	clk.AdvanceTo(clk.Now().Add(outage))
	second, admin := startFileServer(t, db, clk)
	e.admin = admin
	e.proxy.setTarget(second.URL())
	e.waitFinal(2 * workflows)
	require.NoError(t, shutdown(host), "nothing dropped")

	for _, id := range ids {
		wf := e.workflow(id)
		require.Equal(t, model.WorkflowCompleted, wf.Status)
		require.Len(t, wf.Tasks, 2)
		for _, row := range wf.Tasks {
			require.Equal(t, model.TaskCompleted, row.Status)
			require.Equal(t, 1, runs.of(row.TaskId))
			require.Equal(t, map[string]any{"taskId": row.TaskId, "call": float64(1)}, row.OutputData)
		}
	}
	require.Equal(t, 2*workflows, runs.total())
	e.proxy.locked(func() {
		for task := range runs.snapshot() {
			require.Equal(t, 1, e.proxy.applied[task], "task %s: one result reached a server", task)
		}
	})
}
