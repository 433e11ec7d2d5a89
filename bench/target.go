package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/internal/selfsigned"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
	"github.com/batonhq/baton/settings"
)

// target is a Baton server inside the harness that counts the task results
// it acknowledges: a drain is over when the count says so, whatever worker
// did the work, and the pickup-latency runs learn the moment of each
// acknowledgement.
type target struct {
	srv    *server.Server
	hs     *http.Server
	url    string
	caFile string // the certificate the workers must trust; "" for plain HTTP
	api    *client.APIClient
	acks   atomic.Int64
	// Requests by kind: polls, POST /api/tasks, update-v2, anything else;
	// and the requests that came over HTTP/2.
	polls, updates, updatesV2, others, h2 atomic.Int64

	mu     sync.Mutex
	ackLog chan int64 // unix ns of each acknowledgement, while set
}

// newTarget starts a target on a free loopback port; with cert it serves
// HTTPS (HTTP/2 and HTTP/1.1) through net/http's ServeTLS, as `baton server
// --tls-cert --tls-key` does.
func newTarget(ctx context.Context, dbPath string, cert *selfsigned.Files) (*target, error) {
	srv, err := server.New(&server.Config{Addr: "127.0.0.1:0", DBPath: dbPath})
	if err != nil {
		return nil, err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return nil, errors.Join(err, srv.Stop(context.Background()))
	}
	t := &target{srv: srv, url: "http://" + ln.Addr().String() + "/api"}
	t.hs = &http.Server{Handler: t.count(srv.Handler()), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	tr := &http.Transport{MaxIdleConnsPerHost: 64, ForceAttemptHTTP2: true}
	if cert != nil {
		t.url = "https://" + ln.Addr().String() + "/api"
		t.caFile = cert.Cert
		tr.TLSClientConfig = &tls.Config{RootCAs: cert.Pool}
		go func() { _ = t.hs.ServeTLS(ln, cert.Cert, cert.Key) }()
	} else {
		go func() { _ = t.hs.Serve(ln) }()
	}
	t.api, err = client.NewAPIClientWithConfig(client.Config{
		HTTP:       settings.NewHttpSettings(t.url),
		HTTPClient: &http.Client{Transport: tr},
	})
	if err != nil {
		return nil, errors.Join(err, t.close())
	}
	return t, nil
}

// count wraps the API: every 2xx answer to POST /api/tasks or
// /api/tasks/update-v2 is one acknowledged result.
func (t *target) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 2 {
			t.h2.Add(1)
		}
		switch {
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/api/tasks/poll/"):
			t.polls.Add(1)
		case r.Method == http.MethodPost && r.URL.Path == "/api/tasks":
			t.updates.Add(1)
		case r.Method == http.MethodPost && r.URL.Path == "/api/tasks/update-v2":
			t.updatesV2.Add(1)
		default:
			t.others.Add(1)
		}
		if r.Method != http.MethodPost || (r.URL.Path != "/api/tasks" && r.URL.Path != "/api/tasks/update-v2") {
			next.ServeHTTP(w, r)
			return
		}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if sw.status < 300 {
			now := time.Now().UnixNano()
			t.acks.Add(1)
			t.mu.Lock()
			if t.ackLog != nil {
				select {
				case t.ackLog <- now:
				default:
				}
			}
			t.mu.Unlock()
		}
	})
}

// requests returns the requests counted so far: polls, updates, update-v2s,
// and of all requests those over HTTP/2.
func (t *target) requests() [4]int64 {
	return [4]int64{t.polls.Load(), t.updates.Load(), t.updatesV2.Load(), t.h2.Load()}
}

// watchAcks sends the time of each acknowledgement to ch until unwatch.
func (t *target) watchAcks(ch chan int64) {
	t.mu.Lock()
	t.ackLog = ch
	t.mu.Unlock()
}

func (t *target) close() error {
	_ = t.hs.Close() // ends long polls now
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return t.srv.Stop(ctx)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (s *statusWriter) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// defineOneTask registers a task definition and a workflow of that one
// task, both named name.
func defineFlow(ctx context.Context, api *client.APIClient, wf string, tasks ...string) error {
	defs := make([]model.TaskDef, len(tasks))
	wts := make([]model.WorkflowTask, len(tasks))
	for i, name := range tasks {
		d := model.NewTaskDef(name)
		d.RetryCount = 0
		d.ResponseTimeoutSeconds = 300
		d.TimeoutSeconds = 600
		defs[i] = *d
		wts[i] = model.WorkflowTask{
			Name: name, TaskReferenceName: fmt.Sprintf("%s_ref", name), Type: model.TaskTypeSimple,
			InputParameters: map[string]any{"s": "${workflow.input.s}"},
		}
	}
	if err := api.Metadata().RegisterTaskDefs(ctx, defs...); err != nil {
		return fmt.Errorf("register task defs: %w", err)
	}
	def := model.NewWorkflowDef(wf, wts...)
	def.OwnerEmail = "bench@example.com"
	if err := api.Metadata().RegisterWorkflowDef(ctx, def, true); err != nil {
		return fmt.Errorf("register workflow %s: %w", wf, err)
	}
	return nil
}

// enqueue starts n workflows of wf with `par` concurrent starters.
func enqueue(ctx context.Context, api *client.APIClient, wf string, n, par int, done func(int64)) error {
	var next, finished atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for range par {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				_, err := api.Workflows().Start(ctx, &model.StartWorkflowRequest{Name: wf, Input: map[string]any{"s": 0}})
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				done(finished.Add(1))
			}
		})
	}
	wg.Wait()
	return firstErr
}
