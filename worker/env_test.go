package worker

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestApplyEnv(t *testing.T) {
	t.Parallel()
	base := WorkerConfig{TaskName: "send_email", Func: completed, Concurrency: 1, PollInterval: time.Second, Domain: "code"}
	cases := []struct {
		name string
		vars map[string]string
		want func(c *WorkerConfig)
		err  string
	}{
		{"nothing set", nil, func(*WorkerConfig) {}, ""},
		{"unix task form", map[string]string{
			"CONDUCTOR_WORKER_SEND_EMAIL_POLL_INTERVAL": "250",
			"CONDUCTOR_WORKER_SEND_EMAIL_THREAD_COUNT":  "8",
			"CONDUCTOR_WORKER_SEND_EMAIL_DOMAIN":        "blue",
			"CONDUCTOR_WORKER_SEND_EMAIL_PAUSED":        "true",
		}, func(c *WorkerConfig) {
			c.PollInterval, c.Concurrency, c.Domain, c.Paused = 250*time.Millisecond, 8, "blue", true
		}, ""},
		{"all tasks", map[string]string{"CONDUCTOR_WORKER_ALL_DOMAIN": "green", "CONDUCTOR_WORKER_ALL_POLL_TIMEOUT": "2s"},
			func(c *WorkerConfig) { c.Domain, c.PollTimeout = "green", 2*time.Second }, ""},
		{"task wins over all", map[string]string{"CONDUCTOR_WORKER_ALL_DOMAIN": "green", "CONDUCTOR_WORKER_SEND_EMAIL_DOMAIN": "blue"},
			func(c *WorkerConfig) { c.Domain = "blue" }, ""},
		{"dot form wins over unix form", map[string]string{
			"conductor.worker.send_email.thread_count": "3", "CONDUCTOR_WORKER_SEND_EMAIL_THREAD_COUNT": "9",
		}, func(c *WorkerConfig) { c.Concurrency = 3 }, ""},
		{"dot all form", map[string]string{"conductor.worker.all.paused": "yes"}, func(c *WorkerConfig) { c.Paused = true }, ""},
		{"old lower form", map[string]string{"conductor_worker_send_email_polling_interval": "1.5"},
			func(c *WorkerConfig) { c.PollInterval = 1500 * time.Microsecond }, ""},
		{"old global form", map[string]string{"CONDUCTOR_WORKER_THREAD_COUNT": "4"}, func(c *WorkerConfig) { c.Concurrency = 4 }, ""},
		{"mixed case task name", map[string]string{"CONDUCTOR_WORKER_send_email_DOMAIN": "x"}, func(c *WorkerConfig) { c.Domain = "x" }, ""},
		{"batch size alias", map[string]string{"CONDUCTOR_WORKER_SEND_EMAIL_BATCH_SIZE": "6"}, func(c *WorkerConfig) { c.Concurrency = 6 }, ""},
		{"task polling_interval beats global poll_interval", map[string]string{
			"CONDUCTOR_WORKER_ALL_POLL_INTERVAL": "100", "CONDUCTOR_WORKER_SEND_EMAIL_POLLING_INTERVAL": "700",
		}, func(c *WorkerConfig) { c.PollInterval = 700 * time.Millisecond }, ""},
		{"paused false overrides code", map[string]string{"CONDUCTOR_WORKER_ALL_PAUSED": "off"}, func(c *WorkerConfig) { c.Paused = false }, ""},
		{"lease and worker id", map[string]string{
			"CONDUCTOR_WORKER_ALL_LEASE_EXTEND_ENABLED": "false", "CONDUCTOR_WORKER_ALL_WORKER_ID": "pod-7",
		}, func(c *WorkerConfig) { c.DisableLeaseExtension, c.WorkerID = true, "pod-7" }, ""},
		{"blank is unset", map[string]string{"CONDUCTOR_WORKER_SEND_EMAIL_DOMAIN": "  ", "CONDUCTOR_WORKER_ALL_DOMAIN": "green"},
			func(c *WorkerConfig) { c.Domain = "green" }, ""},
		{"bad number", map[string]string{"CONDUCTOR_WORKER_SEND_EMAIL_THREAD_COUNT": "many"}, nil,
			`CONDUCTOR_WORKER_SEND_EMAIL_THREAD_COUNT="many": want a whole number`},
		{"zero threads", map[string]string{"CONDUCTOR_WORKER_ALL_THREAD_COUNT": "0"}, nil, "at least 1"},
		{"bad bool", map[string]string{"CONDUCTOR_WORKER_ALL_PAUSED": "maybe"}, nil, `CONDUCTOR_WORKER_ALL_PAUSED="maybe": want true or false`},
		{"bad duration", map[string]string{"CONDUCTOR_WORKER_ALL_POLL_INTERVAL": "soon"}, nil, "want milliseconds"},
		{"negative duration", map[string]string{"CONDUCTOR_WORKER_ALL_POLL_INTERVAL": "-5"}, nil, "must not be negative"},
		{"NaN", map[string]string{"CONDUCTOR_WORKER_ALL_POLL_INTERVAL": "NaN"}, nil, "want milliseconds"},
		{"huge", map[string]string{"CONDUCTOR_WORKER_ALL_POLL_TIMEOUT": "1e300"}, nil, "want milliseconds"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := applyEnv(base, func(k string) (string, bool) { v, ok := tc.vars[k]; return v, ok })
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			want := base
			tc.want(&want)
			got.Func, want.Func = nil, nil
			require.Equal(t, want, got)
		})
	}
}

func TestEnvTaskNameWithShellUnfriendlyCharacters(t *testing.T) {
	t.Parallel()
	got, err := applyEnv(WorkerConfig{TaskName: "send-email.v2"}, func(k string) (string, bool) {
		return "blue", k == "CONDUCTOR_WORKER_SEND_EMAIL_V2_DOMAIN"
	})
	require.NoError(t, err)
	require.Equal(t, "blue", got.Domain)
}

func TestEnvWinsOverCode(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{
		"CONDUCTOR_WORKER_ALL_DOMAIN":     "blue",
		"CONDUCTOR_WORKER_T_THREAD_COUNT": "3",
		"CONDUCTOR_WORKER_T_PAUSED":       "true",
	}))
	require.NoError(t, env.host.StartWorker("t", completed, 1, time.Second))
	require.Equal(t, 3, env.host.GetBatchSizeForTask("t"))
	require.True(t, env.host.IsPaused("t"))
	require.Zero(t, env.fake.pollCount())

	ids := env.fake.enqueue("t", "blue", 2, nil)
	require.NoError(t, env.host.Resume("t"))
	env.fake.waitFor(func() bool { return env.fake.allDoneLocked(ids) })
	env.fake.mu.Lock()
	defer env.fake.mu.Unlock()
	for _, p := range env.fake.polls {
		require.Equal(t, "blue", p.domain)
	}
}

func TestEnvErrorStopsStart(t *testing.T) {
	t.Parallel()
	env := setup(t, withEnv(map[string]string{"CONDUCTOR_WORKER_T_THREAD_COUNT": "-3"}))
	err := env.host.StartWorker("t", completed, 1, time.Second)
	require.ErrorContains(t, err, "CONDUCTOR_WORKER_T_THREAD_COUNT")
	require.Empty(t, env.host.GetBatchSizeForAll())
}
