package engine

import "sync"

// maxReleasedPollers bounds how many released poller ids are remembered.
const maxReleasedPollers = 4096

// ReleasePolls ends, with no task, every long poll of pollerID that waits
// now or arrives later (PollRequest.PollerID), so a worker that stops can
// end its idle polls instead of waiting out their timeout (Baton's own; a
// Conductor worker cannot do this). A poll that has already taken a task
// still answers it: its worker hands the task back. Nothing is dequeued for
// a released poll, so nothing is lost between the release and the answer.
func (e *Engine) ReleasePolls(pollerID string) {
	if pollerID != "" {
		e.releases.release(pollerID)
	}
}

// pollReleases tracks the waiting polls of each poller id, and the ids
// released: the most recent maxReleasedPollers, since a poll sent just
// before its worker's release may reach the server after it.
type pollReleases struct {
	mu       sync.Mutex
	waiting  map[string]*pollWaiters
	released map[string]struct{}
	order    []string // released ids, oldest first
}

type pollWaiters struct {
	ch chan struct{} // closed by the release
	n  int
}

func newPollReleases() *pollReleases {
	return &pollReleases{waiting: map[string]*pollWaiters{}, released: map[string]struct{}{}}
}

// watch returns a channel closed when id is released (already closed if it
// was), and a function to call when the poll returns.
func (r *pollReleases) watch(id string) (<-chan struct{}, func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.released[id]; ok {
		return closedChan, func() {}
	}
	w := r.waiting[id]
	if w == nil {
		w = &pollWaiters{ch: make(chan struct{})}
		r.waiting[id] = w
	}
	w.n++
	return w.ch, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if w.n--; w.n == 0 && r.waiting[id] == w {
			delete(r.waiting, id)
		}
	}
}

func (r *pollReleases) release(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.released[id]; !ok {
		r.released[id] = struct{}{}
		r.order = append(r.order, id)
		if len(r.order) > maxReleasedPollers {
			delete(r.released, r.order[0])
			r.order = r.order[1:]
		}
	}
	if w := r.waiting[id]; w != nil {
		close(w.ch)
		delete(r.waiting, id)
	}
}

var closedChan = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()
