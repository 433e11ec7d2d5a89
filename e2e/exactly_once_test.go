package e2e

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/worker"
)

// updateFaults fails result updates at random before they reach the server
// (503, 429, 500 or a reset connection), and with lose also lets some
// POST /api/tasks reach the server and then cuts the answer, so the worker
// sends a result the server already has. Polls get a burst of 503 at first,
// then the odd reset, 429 and delay.
func updateFaults(lose bool) func(req proxyReq, rnd *rand.Rand) action {
	return func(req proxyReq, rnd *rand.Rand) action {
		x := rnd.Float64()
		switch req.kind {
		case "poll":
			switch {
			case req.n <= 3:
				return action{status: 503}
			case x < 0.05:
				return action{reset: true}
			case x < 0.10:
				return action{status: 429}
			case x < 0.20:
				return action{delay: 5 * time.Millisecond}
			}
		case "update", "update-v2":
			if req.result.ExtendLease {
				return action{}
			}
			switch {
			case x < 0.10:
				return action{status: 503}
			case x < 0.15:
				return action{status: 429}
			case x < 0.20:
				return action{status: 500}
			case x < 0.25:
				return action{reset: true}
			case lose && req.kind == "update" && x < 0.35:
				return action{lose: true}
			}
		}
		return action{}
	}
}

// TestEveryResultDeliveredExactlyOncePerExecution runs workflows of two
// tasks through a worker while the proxy fails updates and polls at random,
// and relates what the handler ran, what crossed the wire and what the
// server recorded: each task row was handed to the worker once, run once,
// acknowledged once, and holds the output of that one run.
func TestEveryResultDeliveredExactlyOncePerExecution(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		concurrency int
		workflows   int
		disableV2   bool
		lose        bool
	}{
		{"one slot, update-v2", 1, 12, false, false},
		{"four slots, update-v2", 4, 25, false, false},
		{"eight slots, POST tasks, answers lost after the server acted", 8, 25, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, server.Config{})
			e.chain("eo_flow", []model.TaskDef{taskDef("eo", nil)}, "eo", "eo")
			e.proxy.setFault(updateFaults(tc.lose))

			runs := newCalls()
			host := e.newHost()
			e.startWorker(host, worker.WorkerConfig{
				TaskName: "eo", Concurrency: tc.concurrency, DisableUpdateV2: tc.disableV2,
				Func: func(task *model.WorkerTask) (any, error) {
					n := runs.add(task.TaskId)
					return map[string]any{"taskId": task.TaskId, "call": n}, nil
				},
			})
			ids := make([]string, tc.workflows)
			for i := range ids {
				ids[i] = e.start("eo_flow", map[string]any{"i": i}, nil)
			}
			e.waitFinal(2 * tc.workflows)
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			require.NoError(t, host.Shutdown(ctx), "nothing handed back or dropped")

			rows := 0
			for _, id := range ids {
				wf := e.workflow(id)
				require.Equal(t, model.WorkflowCompleted, wf.Status, "workflow %s", id)
				require.Len(t, wf.Tasks, 2, "workflow %s: one row per task, no retries", id)
				for _, row := range wf.Tasks {
					rows++
					require.Equal(t, model.TaskCompleted, row.Status)
					require.Equal(t, 1, row.PollCount, "task %s was handed out once", row.TaskId)
					require.Equal(t, 1, runs.of(row.TaskId), "task %s ran once", row.TaskId)
					require.Equal(t, map[string]any{"taskId": row.TaskId, "call": float64(1)}, row.OutputData,
						"task %s holds the output of its one run", row.TaskId)
				}
			}
			require.Equal(t, rows, runs.total(), "the handler ran only tasks the server has rows for")

			e.proxy.locked(func() {
				faults, lost, v2 := 0, 0, 0
				lostOf := map[string]int{}
				for _, r := range e.proxy.results {
					switch r.outcome {
					case "fault":
						faults++
					case "lost":
						lost++
						lostOf[r.taskID]++
					}
					if r.kind == "update-v2" {
						v2++
					}
				}
				for task, n := range runs.snapshot() {
					require.Equal(t, 1, e.proxy.deliveries[task], "task %s delivered once", task)
					require.Equal(t, n, e.proxy.acks[task], "task %s: one acknowledged result per run", task)
					require.Equal(t, 1+lostOf[task], e.proxy.applied[task],
						"task %s: the server received its result once, plus once per answer lost on the way back", task)
				}
				t.Logf("%d results, %d faults injected, %d answers lost, %d to update-v2, %d polls", len(e.proxy.results), faults, lost, v2, len(e.proxy.polls))
				require.NotZero(t, faults, "the proxy injected faults")
				if tc.lose {
					require.NotZero(t, lost, "the proxy lost answers after the server acted")
				}
				if tc.disableV2 {
					require.Zero(t, v2, "update-v2 disabled")
				} else {
					require.NotZero(t, v2, "results went to update-v2")
				}
			})
		})
	}
}
