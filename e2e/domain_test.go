package e2e

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
)

// TestDomainsRouteTasksToTheirWorker starts two workers for one task name
// with StartWorkerWithDomain and StartWorker: one polls domain "blue", one
// the default queue. Workflows started with taskToDomain reach the worker of
// the domain Baton picks, with Conductor's rules: the task's own entry, "*",
// a list whose first active domain wins, NO_DOMAIN as a fallback; a domain
// nobody polls keeps its task queued until a worker for it starts.
func TestDomainsRouteTasksToTheirWorker(t *testing.T) {
	t.Parallel()
	e := newEnv(t, server.Config{})
	e.chain("dom_flow", []model.TaskDef{taskDef("dom", nil)}, "dom")
	tag := func(by string) model.WorkerTaskFunction {
		return func(task *model.WorkerTask) (any, error) {
			return map[string]any{"by": by, "domain": task.Domain}, nil
		}
	}
	host := e.newHost()
	e.proxy.expectCapacity(model.Hostname(), queueKey("dom", "blue"), 1)
	e.proxy.expectCapacity(model.Hostname(), queueKey("dom", ""), 1)
	e.proxy.expectCapacity(model.Hostname(), queueKey("dom", "green"), 1)
	require.NoError(t, host.StartWorkerWithDomain("dom", tag("blue"), 1, 10*time.Millisecond, "blue"))
	require.NoError(t, host.StartWorker("dom", tag("default"), 1, 10*time.Millisecond))

	// Baton picks a listed domain only once a worker has polled it.
	e.eventually("poll data for domain blue", func() bool {
		pd, err := e.admin.Tasks().PollData(t.Context(), "dom")
		require.NoError(t, err)
		return slices.ContainsFunc(pd, func(d model.PollData) bool { return d.Domain == "blue" })
	})

	cases := []struct {
		taskToDomain map[string]string
		domain, by   string
	}{
		{nil, "", "default"},
		{map[string]string{"dom": "blue"}, "blue", "blue"},
		{map[string]string{"*": "blue"}, "blue", "blue"},
		{map[string]string{"dom": "green,blue"}, "blue", "blue"},
		{map[string]string{"dom": "green,NO_DOMAIN"}, "", "default"},
		{map[string]string{"*": "blue", "dom": "NO_DOMAIN"}, "", "default"},
	}
	ids := make([]string, len(cases))
	for i, c := range cases {
		ids[i] = e.start("dom_flow", nil, c.taskToDomain)
	}
	parked := e.start("dom_flow", nil, map[string]string{"dom": "green"})
	e.waitFinal(len(cases))
	for i, c := range cases {
		wf := e.workflow(ids[i])
		require.Equal(t, model.WorkflowCompleted, wf.Status, "taskToDomain %v", c.taskToDomain)
		row := wf.Tasks[0]
		require.Equal(t, c.domain, row.Domain, "taskToDomain %v", c.taskToDomain)
		require.Equal(t, map[string]any{"by": c.by, "domain": c.domain}, row.OutputData, "taskToDomain %v", c.taskToDomain)
	}

	row := e.workflow(parked).Tasks[0]
	require.Equal(t, "green", row.Domain)
	require.Equal(t, model.TaskScheduled, row.Status, "no worker polls green")
	require.Equal(t, 1, e.queueSize("dom", "green"))
	require.NoError(t, host.StartWorkerWithDomain("dom", tag("green"), 1, 10*time.Millisecond, "green"))
	e.waitFinal(len(cases) + 1)
	wf := e.workflow(parked)
	require.Equal(t, model.WorkflowCompleted, wf.Status)
	require.Equal(t, map[string]any{"by": "green", "domain": "green"}, wf.Tasks[0].OutputData)

	e.proxy.locked(func() {
		keys := map[string]bool{}
		for _, p := range e.proxy.polls {
			keys[p.key] = true
		}
		require.Equal(t, map[string]bool{"dom": true, "blue:dom": true, "green:dom": true}, keys, "each worker polls its own queue")
	})
	require.NoError(t, shutdown(host))
}
