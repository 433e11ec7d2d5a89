package e2e

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

func echo(task *model.WorkerTask) (any, error) {
	return map[string]any{"taskId": task.TaskId}, nil
}

// TestUpdateV2ChainsTasksAgainstBaton queues ten tasks, then starts a
// one-slot worker: one poll brings the first task, and each result sent to
// update-v2 brings the next one back from Baton, so nine tasks arrive
// without a poll.
func TestUpdateV2ChainsTasksAgainstBaton(t *testing.T) {
	t.Parallel()
	const n = 10
	e := newEnv(t, server.Config{})
	e.chain("v2_flow", []model.TaskDef{taskDef("v2", nil)}, "v2")
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.start("v2_flow", nil, nil)
	}
	require.Equal(t, n, e.queueSize("v2", ""))

	host := e.newHost()
	e.startWorker(host, worker.WorkerConfig{TaskName: "v2", Concurrency: 1, Func: echo})
	e.waitFinal(n)
	require.NoError(t, shutdown(host))

	for _, id := range ids {
		require.Equal(t, model.WorkflowCompleted, e.workflow(id).Status)
	}
	e.proxy.locked(func() {
		v2, chained, pollsWithTasks := 0, 0, 0
		for _, r := range e.proxy.results {
			require.Equal(t, "update-v2", r.kind)
			require.Equal(t, "acked", r.outcome)
			v2++
			if r.next != "" {
				chained++
			}
		}
		for _, p := range e.proxy.polls {
			if p.got > 0 {
				pollsWithTasks++
			}
		}
		require.Equal(t, n, v2, "every result went to update-v2")
		require.Equal(t, n-1, chained, "each answer but the last brought the next task")
		require.Equal(t, 1, pollsWithTasks, "only the first task came by poll")
	})
}

// TestUpdateV2FallsBackToPostTasks makes the proxy answer update-v2 as a
// server without it would; the worker sends that first result, and every
// later one, to POST /api/tasks, and nothing is lost.
func TestUpdateV2FallsBackToPostTasks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		body   string
	}{
		{"404 from Spring", 404, `{"timestamp":1,"status":404,"error":"Not Found","message":"No static resource api/tasks/update-v2.","path":"/api/tasks/update-v2"}`},
		{"bare 404", 404, " "},
		{"405", 405, " "},
		{"501", 501, " "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const n = 5
			e := newEnv(t, server.Config{})
			e.chain("fb_flow", []model.TaskDef{taskDef("fb", nil)}, "fb")
			e.proxy.setFault(func(req proxyReq, _ *rand.Rand) action {
				if req.kind == "update-v2" {
					return action{status: tc.status, body: tc.body}
				}
				return action{}
			})
			ids := make([]string, n)
			for i := range ids {
				ids[i] = e.start("fb_flow", nil, nil)
			}
			host := e.newHost()
			e.startWorker(host, worker.WorkerConfig{TaskName: "fb", Concurrency: 1, Func: echo})
			e.waitFinal(n)
			require.NoError(t, shutdown(host))

			for _, id := range ids {
				wf := e.workflow(id)
				require.Equal(t, model.WorkflowCompleted, wf.Status)
				require.Equal(t, map[string]any{"taskId": wf.Tasks[0].TaskId}, wf.Tasks[0].OutputData)
			}
			e.proxy.locked(func() {
				require.Equal(t, 1, e.proxy.requests["update-v2"], "update-v2 tried once, then never again")
				require.Equal(t, n, e.proxy.requests["update"], "every result sent to POST /api/tasks once")
				for task, a := range e.proxy.acks {
					require.Equal(t, 1, a, "task %s", task)
				}
			})
		})
	}
}
