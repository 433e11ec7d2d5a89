package server

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

func apiClientAuth(t testing.TB, baseURL string, auth *settings.AuthenticationSettings) *client.APIClient {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(baseURL), Auth: auth, HTTPClient: &http.Client{Transport: tr}})
	require.NoError(t, err)
	return c
}

// BenchmarkWorkflowOverHTTP runs one workflow of one SIMPLE task through
// the HTTP API per iteration — start, poll, complete — with the metrics on
// and off, and with authentication on (a file database, as in production),
// to measure what each costs on the hot path.
func BenchmarkWorkflowOverHTTP(b *testing.B) {
	for _, tc := range []struct {
		name string
		off  bool
		auth bool
	}{{"metrics=on", false, false}, {"metrics=off", true, false}, {"auth=on", false, true}, {"file,auth=off", false, false}, {"file,auth=on", false, true}} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := &Config{Addr: "127.0.0.1:0", DBPath: MemoryDB, DisableMetrics: tc.off}
			if strings.HasPrefix(tc.name, "file") {
				cfg.DBPath = filepath.Join(b.TempDir(), "bench.db")
			}
			if tc.auth {
				cfg.Auth = AuthOn
			}
			s, err := New(cfg)
			require.NoError(b, err)
			b.Cleanup(func() { require.NoError(b, s.Stop(context.Background())) })
			require.NoError(b, s.Start(b.Context()))
			c := apiClient(b, s.URL())
			if tc.auth {
				id, secret, err := s.CreateAPIKey(b.Context(), "bench")
				require.NoError(b, err)
				c = apiClientAuth(b, s.URL(), settings.NewAuthenticationSettings(id, secret))
			}
			ctx := b.Context()
			require.NoError(b, c.Metadata().RegisterTaskDefs(ctx, model.TaskDef{Name: "bench_t"}))
			require.NoError(b, c.Metadata().RegisterWorkflowDef(ctx, &model.WorkflowDef{Name: "bench_wf", Version: 1, SchemaVersion: 2,
				Tasks: []model.WorkflowTask{{Name: "bench_t", TaskReferenceName: "t", Type: "SIMPLE"}}}, false))
			b.ReportAllocs()
			for b.Loop() {
				id, err := c.Workflows().StartByName(ctx, "bench_wf", nil, client.StartOptions{})
				if err != nil {
					b.Fatal(err)
				}
				task, err := c.Tasks().Poll(ctx, "bench_t", client.PollOptions{WorkerID: "bench"})
				if err != nil || task == nil {
					b.Fatal(task, err)
				}
				if _, err := c.Tasks().Update(ctx, &model.TaskResult{WorkflowInstanceId: id, TaskId: task.TaskId,
					Status: model.CompletedTask}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
