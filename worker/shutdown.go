package worker

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// WaitWorkers blocks until the process receives one of the host's Signals
// (SIGINT or SIGTERM by default) or Shutdown is called, and returns once the
// graceful shutdown has finished. On a signal it runs Shutdown with the
// host's ShutdownTimeout; a second signal then ends the process the usual
// way. It returns what Shutdown returns.
func (h *WorkerHost) WaitWorkers() error {
	if h.err != nil {
		return h.err
	}
	sigCtx, stop := h.cfg.notify(context.Background(), h.cfg.Signals...)
	defer stop()
	select {
	case <-sigCtx.Done():
		stop()
		h.log.Info("worker: signal received; shutting down", "timeout", h.cfg.ShutdownTimeout)
		ctx, cancel := context.WithTimeout(context.Background(), h.cfg.ShutdownTimeout)
		defer cancel()
		return h.Shutdown(ctx)
	case <-h.stopCh:
		<-h.done
		return h.stopErr
	}
}

// Shutdown stops the host gracefully, in this order:
//
//  1. Polling stops. A poll already waiting at the server is let finish, so
//     the tasks it brings are not lost; they are handed back at once. On
//     Baton's server (client.APIClient.CanReleasePolls) the host first asks
//     the server to end its waiting polls, which then return at once with
//     no task; on Conductor an idle poll is waited out (PollTimeout, 1 s by
//     default).
//  2. Running tasks finish and their results are delivered, until ctx's
//     deadline less the HandBackTimeout (or until ctx is cancelled).
//  3. Tasks still running then have their contexts cancelled (cause
//     ErrShutdownDeadline) and are handed back to the server as IN_PROGRESS
//     with callbackAfterSeconds 0, so it re-delivers them at once.
//  4. Pending results and hand-backs are flushed until ctx's deadline;
//     whatever cannot be sent by then is counted and logged as dropped.
//
// It returns nil when every task finished and every result got through, and
// otherwise an error saying what was handed back, dropped or left running
// (a handler that ignores its context cannot be stopped). Calling it again,
// or concurrently, waits for the same shutdown and returns the same result.
// A host cannot be restarted.
func (h *WorkerHost) Shutdown(ctx context.Context) error {
	if h.err != nil {
		return h.err
	}
	if ctx == nil {
		return errors.New("worker: Shutdown: nil context")
	}
	h.mu.Lock()
	if h.stopping {
		h.mu.Unlock()
		select {
		case <-h.done:
			return h.stopErr
		case <-ctx.Done():
			return fmt.Errorf("worker: shutdown still running: %w", ctx.Err())
		}
	}
	h.stopping = true
	ws := append([]*worker(nil), h.order...)
	for _, w := range ws {
		w.stop() // before stopCh closes: whoever sees it closed sees every worker stopping
	}
	close(h.stopCh)
	h.mu.Unlock()

	h.log.Info("worker: shutting down", "workers", len(ws))
	h.stopErr = h.drain(ctx, ws)
	close(h.done)
	return h.stopErr
}

func (h *WorkerHost) drain(ctx context.Context, ws []*worker) error {
	drainCtx, cancelDrain := drainContext(ctx, h.cfg.HandBackTimeout)
	defer cancelDrain()
	finalCtx, cancelFinal := finalContext(ctx, h.cfg.HandBackTimeout)
	defer cancelFinal()
	droppedBefore := h.dropped.Load()

	// 1. Let the polls under way come back (their tasks are handed back).
	// Baton's server ends them at once when asked, taking no task for
	// them; a Conductor poll is waited out, since cutting it could lose a
	// task the server hands out at that moment.
	pollWait := drainCtx
	if h.releasePolls() {
		pollWait = finalCtx // they return now, even when ctx has ended
	}
	if h.pollers.waitZero(pollWait) != nil {
		h.cancelPoll()
	}
	// 2. Let running tasks finish and report.
	handedBack := 0
	if h.slots.waitZero(drainCtx) != nil {
		for _, w := range ws {
			handedBack += w.abandonRunning(ErrShutdownDeadline)
		}
	}
	// 3. Flush results and hand-backs.
	for _, c := range []*counter{&h.pollers, &h.slots, &h.runs, &h.aux} {
		if c.waitZero(finalCtx) != nil {
			break
		}
	}
	// 4. Give up on what is left; every loop of ours returns promptly now.
	h.cancelSend()
	h.cancelPoll()
	for _, c := range []*counter{&h.pollers, &h.runs, &h.aux} {
		_ = c.waitZero(context.Background())
	}
	for _, w := range ws {
		w.cancelExecutions()
	}

	var errs []error
	if handedBack > 0 {
		errs = append(errs, fmt.Errorf("%d unfinished tasks handed back to the server", handedBack))
	}
	if n := h.dropped.Load() - droppedBefore; n > 0 {
		errs = append(errs, fmt.Errorf("%d task results dropped (see the log and task_result_dropped_total)", n))
	}
	if n := h.stuck.load(); n > 0 {
		errs = append(errs, fmt.Errorf("%d task functions ignored their cancelled context and still run", n))
	}
	if len(errs) == 0 {
		h.log.Info("worker: shut down cleanly")
		return nil
	}
	err := fmt.Errorf("worker: shutdown: %w", errors.Join(errs...))
	if ctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", err, ctx.Err())
	}
	h.log.Warn("worker: shut down with losses", "error", err)
	return err
}

// releasePolls asks a server that can (Baton's) to end this host's waiting
// polls, and reports whether it did.
func (h *WorkerHost) releasePolls() bool {
	if h.pollers.load() == 0 || !h.cfg.Client.CanReleasePolls() {
		return false
	}
	ctx, cancel := h.sendContext()
	defer cancel()
	if err := h.tasks.ReleasePolls(ctx, h.pollerID); err != nil {
		h.log.Info("worker: the server did not end the waiting polls; waiting for them", "error", err)
		return false
	}
	return true
}

// drainContext ends when tasks must stop: reserve before ctx's deadline (at
// most half the time left), or when ctx is cancelled.
func drainContext(ctx context.Context, reserve time.Duration) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	left := time.Until(deadline)
	return context.WithDeadline(ctx, deadline.Add(-min(reserve, max(left/2, 0))))
}

// finalContext ends when nothing more may be sent: at ctx's deadline, or
// reserve after ctx is cancelled, whichever comes first.
func finalContext(ctx context.Context, reserve time.Duration) (context.Context, context.CancelFunc) {
	base := context.WithoutCancel(ctx)
	var cancelDeadline context.CancelFunc = func() {}
	if deadline, ok := ctx.Deadline(); ok {
		base, cancelDeadline = context.WithDeadline(base, deadline)
	}
	fctx, cancel := context.WithCancel(base)
	var mu sync.Mutex
	var t *time.Timer
	stopAfter := context.AfterFunc(ctx, func() {
		mu.Lock()
		t = time.AfterFunc(reserve, cancel)
		mu.Unlock()
	})
	return fctx, func() {
		stopAfter()
		mu.Lock()
		if t != nil {
			t.Stop()
		}
		mu.Unlock()
		cancel()
		cancelDeadline()
	}
}
