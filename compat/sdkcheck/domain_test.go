package sdkcheck_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/worker"
)

// TestWorkerDomains: a worker started with StartWorkerWithDomain gets the
// tasks of workflows started with that domain in taskToDomain (by task name
// or "*"), and only those; a worker without a domain gets the others. Both
// start when their queues hold two tasks each, so each is likely to get its
// second task from an update-v2 answer: the chaining keeps to the worker's
// domain too.
func TestWorkerDomains(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rec := e.newRecorder()
	def := taskDef(e.name("domain"))
	wf := e.oneTaskWorkflow(def)
	domain := "sdk" + randomHex(4)

	var mu sync.Mutex
	ranBy := map[string]string{} // workflow id → "domain" or "default"
	handler := func(who string) model.WorkerTaskFunction {
		return func(task *model.WorkerTask) (any, error) {
			mu.Lock()
			ranBy[task.WorkflowInstanceId] = who
			mu.Unlock()
			return map[string]any{"by": who, "domain": task.Domain}, nil
		}
	}

	starts := []struct {
		name         string
		taskToDomain map[string]string
		want         string
		wantDomain   string
	}{
		{"by task name", map[string]string{def.Name: domain}, "domain", domain},
		{"by *", map[string]string{"*": domain}, "domain", domain},
		{"no mapping", nil, "default", ""},
		{"another task's mapping", map[string]string{def.Name + "_other": domain}, "default", ""},
	}
	ids := make([]string, len(starts))
	for i, s := range starts {
		req := model.NewStartWorkflowRequest(wf, 0, "", map[string]any{"case": s.name})
		req.TaskToDomain = s.taskToDomain
		id, err := e.api.Workflows().Start(e.ctx, req)
		require.NoError(t, err, s.name)
		ids[i] = id
	}
	e.eventually("two tasks in each queue", 20*time.Second, func() (bool, string) {
		inDomain, err1 := e.api.Tasks().QueueSize(e.ctx, def.Name, domain)
		inDefault, err2 := e.api.Tasks().QueueSize(e.ctx, def.Name, "")
		return err1 == nil && err2 == nil && inDomain == 2 && inDefault == 2,
			fmt.Sprintf("domain %d (%v), default %d (%v)", inDomain, err1, inDefault, err2)
	})
	host := e.newHost(e.newAPI(rec.URL), worker.HostConfig{})
	require.NoError(t, host.StartWorkerWithDomain(def.Name, handler("domain"), 1, 100*time.Millisecond, domain))
	require.NoError(t, host.StartWorker(def.Name, handler("default"), 1, 100*time.Millisecond))

	for i, s := range starts {
		w := e.awaitStatus(ids[i], model.WorkflowCompleted)
		require.Equal(t, s.wantDomain, w.Tasks[0].Domain, "%s: the task's domain", s.name)
		require.Equal(t, map[string]any{"by": s.want, "domain": s.wantDomain}, w.Output["out"], s.name)
		mu.Lock()
		require.Equal(t, s.want, ranBy[ids[i]], s.name)
		mu.Unlock()
	}

	chained := rec.find(func(x exchange) bool { return isUpdateV2(x) && len(x.tasks()) > 0 })
	t.Logf("%d tasks came with an update-v2 answer", len(chained))

	// The server saw both pollers: one poll data row per domain.
	pd, err := e.api.Tasks().PollData(e.ctx, def.Name)
	require.NoError(t, err)
	domains := map[string]bool{}
	for _, p := range pd {
		domains[p.Domain] = true
		require.Equal(t, model.Hostname(), p.WorkerId)
		require.Positive(t, p.LastPollTime)
	}
	require.Equal(t, map[string]bool{"": true, domain: true}, domains)
}
