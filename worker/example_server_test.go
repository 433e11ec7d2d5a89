package worker_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/batonhq/baton/model"
)

// exampleServer stands in for a Conductor server in the examples: it hands
// out the given tasks once and sends every result it receives on results.
type exampleServer struct {
	*httptest.Server
	results chan model.TaskResult

	mu    sync.Mutex
	tasks []model.WorkerTask
}

func newExampleServer(tasks ...model.WorkerTask) *exampleServer {
	s := &exampleServer{tasks: tasks, results: make(chan model.TaskResult, len(tasks))}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/tasks/poll/batch/{type}", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		var out []model.WorkerTask
		var rest []model.WorkerTask
		for _, t := range s.tasks {
			if t.TaskType == r.PathValue("type") && len(out) == 0 {
				out = append(out, t)
			} else {
				rest = append(rest, t)
			}
		}
		s.tasks = rest
		s.mu.Unlock()
		_ = json.NewEncoder(w).Encode(append([]model.WorkerTask{}, out...))
	})
	report := func(w http.ResponseWriter, r *http.Request) {
		var res model.TaskResult
		if json.NewDecoder(r.Body).Decode(&res) == nil && !res.ExtendLease {
			s.results <- res
		}
		w.WriteHeader(http.StatusNoContent)
	}
	mux.HandleFunc("POST /api/tasks", report)
	mux.HandleFunc("POST /api/tasks/update-v2", report)
	s.Server = httptest.NewServer(mux)
	return s
}
