package executor

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// errClosed ends the watches of a closed executor.
var errClosed = errors.New("executor: closed")

// monitor waits for workflows to end. Each wait polls its own workflow on
// a doubling schedule; a semaphore bounds the requests in flight. Watches
// (MonitorExecution) run a goroutine each, tracked so Close can end them.
type monitor struct {
	e        *WorkflowExecutor
	min, max time.Duration
	sem      chan struct{}

	ctx    context.Context // canceled by close
	cancel context.CancelCauseFunc
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

func newMonitor(e *WorkflowExecutor, cfg Config) *monitor {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &monitor{
		e: e, min: cfg.MinPollInterval, max: cfg.MaxPollInterval,
		sem: make(chan struct{}, cfg.MaxConcurrentPolls), ctx: ctx, cancel: cancel,
	}
}

// watch returns a channel that gets the workflow once it has ended, then
// closes; it closes without a value when the wait fails.
func (m *monitor) watch(ctx context.Context, id string) (WorkflowExecutionChannel, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, errClosed
	}
	ch := make(WorkflowExecutionChannel, 1)
	m.wg.Go(func() {
		defer close(ch)
		if wf, err := m.wait(ctx, id); err == nil {
			ch <- wf
		}
	})
	return ch, nil
}

// wait polls the workflow until it is terminal, ctx is done or the
// executor closes. Only answers that cannot change by asking again (4xx
// other than 408 and 429) end it early.
func (m *monitor) wait(ctx context.Context, id string) (*model.Workflow, error) {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	defer context.AfterFunc(m.ctx, func() { stop(errClosed) })()

	var timer *time.Timer
	delay := m.min
	for {
		wf, err := m.get(ctx, id)
		switch {
		case err == nil && wf.Status.IsTerminal():
			return wf, nil
		case err != nil && ctx.Err() != nil:
			return nil, context.Cause(ctx)
		case err != nil && !transient(err):
			return nil, err
		}
		if timer == nil {
			timer = time.NewTimer(delay)
			defer timer.Stop()
		} else {
			timer.Reset(delay)
		}
		select {
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		case <-timer.C:
		}
		delay = min(2*delay, m.max)
	}
}

func (m *monitor) get(ctx context.Context, id string) (*model.Workflow, error) {
	select {
	case m.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-m.sem }()
	return m.e.workflows.Get(ctx, id, false)
}

// transient reports whether asking again may give another answer.
func transient(err error) bool {
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		return true // the network, a malformed answer
	}
	switch s := apiErr.StatusCode; {
	case s == http.StatusRequestTimeout, s == http.StatusTooManyRequests:
		return true
	case s >= 400 && s < 500:
		return false
	}
	return true
}

// close ends every wait and watch and waits for their goroutines.
func (m *monitor) close() {
	m.mu.Lock()
	m.closed = true
	m.mu.Unlock()
	m.cancel(errClosed)
	m.wg.Wait()
}
