package client_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// benchServer answers every request with answer, as fast as it can.
func benchServer(b *testing.B, contentType, answer string) *client.APIClient {
	b.Helper()
	body := []byte(answer)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return client.NewAPIClient(settings.NewHttpSettings(srv.URL + "/api"))
}

// BenchmarkBatchPoll measures one batch poll answered with n captured tasks,
// over the shared keep-alive transport.
func BenchmarkBatchPoll(b *testing.B) {
	task := fixture(b, "task_polled.json")
	for _, n := range []int{1, 10} {
		b.Run(fmt.Sprintf("tasks=%d", n), func(b *testing.B) {
			answer := "[" + strings.Repeat(task+",", n-1) + task + "]"
			c := benchServer(b, "application/json", answer)
			opts := client.BatchPollOptions{Count: n, WorkerID: "bench"}
			b.ReportAllocs()
			b.SetBytes(int64(len(answer)))
			for b.Loop() {
				tasks, err := c.Tasks().BatchPoll(b.Context(), "baton_fx_task_a", opts)
				if err != nil || len(tasks) != n {
					b.Fatal(len(tasks), err)
				}
			}
		})
	}
}

// BenchmarkUpdate measures reporting one result, sequentially and from
// many goroutines at once (as a worker host with many slots does).
func BenchmarkUpdate(b *testing.B) {
	result := &model.TaskResult{
		WorkflowInstanceId: "3a5ed4f3-c0be-452f-8247-e1c0fde306a7", TaskId: "8c70acf7-5781-4391-8f06-0cb64cbaea77",
		WorkerId: "bench", Status: model.CompletedTask,
		OutputData: map[string]any{"receipt": "rcpt-77", "lines": []any{map[string]any{"sku": "x1", "qty": 2}}, "ok": true},
	}
	c := benchServer(b, "text/plain;charset=UTF-8", result.TaskId)
	_, err := c.Tasks().Update(b.Context(), result)
	require.NoError(b, err)

	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Tasks().Update(b.Context(), result); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.SetParallelism(8)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Tasks().Update(b.Context(), result); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}
