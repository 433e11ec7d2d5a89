package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// The raw loop is the ceiling the server allows a worker: one poller asking
// for every free slot with a batch poll, a goroutine per task that answers
// with update-v2 and carries on with the task the answer brings, one
// keep-alive HTTP client, hand-written request bodies and a decoder that
// reads two fields. No metrics, logs, leases, retries or shutdown care.

type rawTask struct {
	TaskID     string `json:"taskId"`
	WorkflowID string `json:"workflowInstanceId"`
}

type rawWorker struct {
	hc      *http.Client
	pollURL string
	updURL  string
	handler func(id string)
	slots   chan struct{} // a token per free slot
	bufs    sync.Pool
}

func startRaw(c childConfig, handler func(id string)) (func(), error) {
	tr := &http.Transport{MaxIdleConns: c.conc + 16, MaxIdleConnsPerHost: c.conc + 16, IdleConnTimeout: time.Minute}
	w := &rawWorker{
		hc:      &http.Client{Transport: tr},
		pollURL: c.url + "/tasks/poll/batch/" + url.PathEscape(c.task) + "?workerid=raw&timeout=100&count=",
		updURL:  c.url + "/tasks/update-v2",
		handler: handler,
		slots:   make(chan struct{}, c.conc),
		bufs:    sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
	for range c.conc {
		w.slots <- struct{}{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.pollLoop(ctx)
	}()
	return func() {
		cancel()
		<-done
		tr.CloseIdleConnections()
	}, nil
}

func (w *rawWorker) pollLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.slots:
		}
		n := 1
	grab:
		for n < cap(w.slots) {
			select {
			case <-w.slots:
				n++
			default:
				break grab
			}
		}
		tasks, err := w.poll(ctx, n)
		for i := range tasks {
			go w.work(ctx, tasks[i])
		}
		for range n - len(tasks) {
			w.slots <- struct{}{}
		}
		if err != nil {
			select {
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

func (w *rawWorker) poll(ctx context.Context, n int) ([]rawTask, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, w.pollURL+strconv.Itoa(n), nil)
	if err != nil {
		return nil, err
	}
	resp, err := w.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		return nil, fmt.Errorf("poll: status %d", resp.StatusCode)
	}
	var tasks []rawTask
	err = json.NewDecoder(resp.Body).Decode(&tasks)
	_, _ = io.Copy(io.Discard, resp.Body)
	return tasks, err
}

// work runs t and the tasks update-v2 hands back, then frees the slot.
func (w *rawWorker) work(ctx context.Context, t rawTask) {
	defer func() { w.slots <- struct{}{} }()
	for {
		w.handler(t.TaskID)
		next, err := w.update(ctx, t)
		if err != nil || next.TaskID == "" {
			return
		}
		t = next
	}
}

func (w *rawWorker) update(ctx context.Context, t rawTask) (rawTask, error) {
	buf := w.bufs.Get().(*bytes.Buffer)
	defer w.bufs.Put(buf)
	buf.Reset()
	buf.WriteString(`{"taskId":`)
	buf.WriteString(strconv.Quote(t.TaskID))
	buf.WriteString(`,"workflowInstanceId":`)
	buf.WriteString(strconv.Quote(t.WorkflowID))
	buf.WriteString(`,"workerId":"raw","status":"COMPLETED","outputData":{}}`)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.updURL, bytes.NewReader(buf.Bytes()))
	if err != nil {
		return rawTask{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.hc.Do(req)
	if err != nil {
		return rawTask{}, err
	}
	defer resp.Body.Close()
	var next rawTask
	switch resp.StatusCode {
	case http.StatusOK:
		err = json.NewDecoder(resp.Body).Decode(&next)
	case http.StatusNoContent:
	default:
		err = fmt.Errorf("update: status %d", resp.StatusCode)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return next, err
}
