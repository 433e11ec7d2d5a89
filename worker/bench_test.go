package worker

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// BenchmarkWorkerHost runs b.N tasks with a no-op handler against the
// in-process fake task API over loopback HTTP. ns/op, B/op and allocs/op are
// per task and include the fake server's share, since both run in this
// process; tasks/s is the throughput.
func BenchmarkWorkerHost(b *testing.B) {
	cases := []struct {
		name        string
		concurrency int
		v2          bool
	}{
		{"batch=1/update-v2", 1, true},
		{"batch=1/update", 1, false},
		{"batch=16/update-v2", 16, true},
		{"batch=16/update", 16, false},
	}
	noop := func(*model.WorkerTask) (any, error) { return nil, nil }
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			fake := newFakeConductor(b)
			fake.enqueue("bench", "", b.N, nil)
			fake.set(func(f *fakeConductor) { f.target, f.allDone = b.N, make(chan struct{}) })
			host, err := NewWorkerHostWithConfig(HostConfig{Client: fake.api, LookupEnv: noEnv})
			require.NoError(b, err)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			require.NoError(b, host.StartWorkerWithConfig(WorkerConfig{
				TaskName: "bench", Func: noop, Concurrency: bc.concurrency, DisableUpdateV2: !bc.v2,
			}))
			<-fake.allDone
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "tasks/s")
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(b, host.Shutdown(ctx))
		})
	}
}
