package worker

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

func TestHandlerCallingGoexitStillReports(t *testing.T) {
	t.Parallel()
	env := setup(t)
	var calls atomic.Int32
	ids := env.fake.enqueue("t", "", 2, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: func(*model.WorkerTask) (any, error) {
		if calls.Add(1) == 1 {
			runtime.Goexit() // what t.FailNow does inside a handler under test
		}
		return nil, nil
	}})
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	require.NoError(t, env.shutdown(t, 5*time.Second), "the slot and the goroutine count survive")
	first := env.fake.resultsFor(ids[0])[0].result
	require.Equal(t, model.FailedTask, first.Status)
	require.Contains(t, first.ReasonForIncompletion, "runtime.Goexit")
	require.Equal(t, model.TaskCompleted, env.fake.status(ids[1]))
}

func TestServerSendingMoreThanAskedGetsTheExtraBack(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.fake.overSend = 1
	g := newGate(4)
	ids := env.fake.enqueue("t", "", 2, nil)
	env.start(t, WorkerConfig{TaskName: "t", Func: g.handler, PollTimeout: time.Second})
	g.waitStarted(t, 1)
	env.fake.waitFor(func() bool { return len(env.fake.resultsForLocked(ids[1])) == 1 })
	extra := env.fake.resultsFor(ids[1])[0].result
	require.Equal(t, model.InProgressTask, extra.Status, "the extra task is handed back, not run")
	g.release <- struct{}{}
	g.waitStarted(t, 1) // re-delivered once a slot is free
	g.release <- struct{}{}
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
}

// TestFailingHandBackDoesNotStallPolling: while the server answers 5xx to
// the hand-back of an extra task, the worker keeps polling and running
// tasks; the hand-back gets through once the server recovers.
func TestFailingHandBackDoesNotStallPolling(t *testing.T) {
	t.Parallel()
	env := setup(t)
	env.fake.overSend = 1
	ids := env.fake.enqueue("t", "", 2, nil)
	var failing atomic.Bool
	failing.Store(true)
	env.fake.set(func(f *fakeConductor) {
		f.fault = func(r faultReq) fault {
			if r.kind == "update" && r.taskID == ids[1] && failing.Load() {
				return fault{status: http.StatusServiceUnavailable}
			}
			return fault{}
		}
	})
	env.start(t, WorkerConfig{TaskName: "t", Func: completed, PollTimeout: 10 * time.Millisecond})
	// ids[0] runs; the worker goes on polling while ids[1]'s hand-back fails.
	env.fake.waitFor(func() bool {
		return env.fake.allDoneLocked(ids[:1]) && len(env.fake.polls) >= 3 && env.fake.requests["update"] >= 2
	})
	failing.Store(false)
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	require.NoError(t, env.shutdown(t, 5*time.Second))
}

// TestMalformedServerAnswers runs a worker against a server that answers
// polls with garbage; the worker must keep polling with back-off and never
// run a task it cannot report.
func TestMalformedServerAnswers(t *testing.T) {
	t.Parallel()
	answers := []string{
		`not json`,
		`{"an":"object"}`,
		`[{"taskType":"t"}]`, // no ids
		`[{"taskId":"x","workflowInstanceId":"w","inputData":"not a map"}]`,
		`[null]`,
	}
	var n atomic.Int32
	served := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			i := int(n.Add(1)) - 1
			if i < len(answers) {
				_, _ = w.Write([]byte(answers[i]))
				return
			}
			if i == len(answers) {
				close(served) // the worker survived every bad answer and polls again
			}
			_ = json.NewEncoder(w).Encode([]model.WorkerTask{})
			return
		}
		t.Errorf("unexpected %s %s", r.Method, r.URL.Path)
	}))
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	api, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(srv.URL + "/api"), HTTPClient: &http.Client{Transport: tr}})
	require.NoError(t, err)
	env := setup(t, func(c *HostConfig) { c.Client = api })
	var ran atomic.Int32
	env.start(t, WorkerConfig{TaskName: "t", Func: func(*model.WorkerTask) (any, error) { ran.Add(1); return nil, nil }})
	<-served
	require.NoError(t, env.shutdown(t, 5*time.Second))
	require.Zero(t, ran.Load())
	require.NotEmpty(t, env.logs.lines("poll failed"))
	require.NotEmpty(t, env.logs.lines("without taskId"))
}
