package worker

import "fmt"

// Pause stops the workers of taskName (in every domain) from polling. Tasks
// already running finish and report; a poll already waiting at the server may
// still bring tasks, which run. It returns ErrUnknownTask for a task name
// without a worker.
func (h *WorkerHost) Pause(taskName string) error {
	return h.each(taskName, func(w *worker) { w.setPaused(true) })
}

// Resume lets the workers of taskName poll again after Pause (or after the
// Paused setting or the environment started them paused).
func (h *WorkerHost) Resume(taskName string) error {
	return h.each(taskName, func(w *worker) { w.setPaused(false) })
}

// IsPaused reports whether the workers of taskName are paused.
func (h *WorkerHost) IsPaused(taskName string) bool {
	paused := false
	_ = h.each(taskName, func(w *worker) {
		w.mu.Lock()
		paused = paused || w.paused
		w.mu.Unlock()
	})
	return paused
}

// SetBatchSize sets how many tasks each worker of taskName runs at once. A
// smaller value lets running tasks finish: the worker polls again once it
// has fewer than n tasks. Zero stops polling until the size is raised.
func (h *WorkerHost) SetBatchSize(taskName string, n int) error {
	if n < 0 {
		return fmt.Errorf("worker: SetBatchSize(%q, %d): the batch size must not be negative", taskName, n)
	}
	return h.each(taskName, func(w *worker) { w.setCapacity(func(int) int { return n }) })
}

// IncreaseBatchSize adds n slots to each worker of taskName.
func (h *WorkerHost) IncreaseBatchSize(taskName string, n int) error {
	if n < 1 {
		return fmt.Errorf("worker: IncreaseBatchSize(%q, %d): n must be at least 1", taskName, n)
	}
	return h.each(taskName, func(w *worker) { w.setCapacity(func(c int) int { return c + n }) })
}

// DecreaseBatchSize removes n slots from each worker of taskName, down to 0.
func (h *WorkerHost) DecreaseBatchSize(taskName string, n int) error {
	if n < 1 {
		return fmt.Errorf("worker: DecreaseBatchSize(%q, %d): n must be at least 1", taskName, n)
	}
	return h.each(taskName, func(w *worker) { w.setCapacity(func(c int) int { return max(c-n, 0) }) })
}

// GetBatchSizeForTask returns the batch size of taskName: the sum over its
// workers when it has workers in several domains, 0 when it has none.
func (h *WorkerHost) GetBatchSizeForTask(taskName string) int {
	n := 0
	_ = h.each(taskName, func(w *worker) {
		w.mu.Lock()
		n += w.capacity
		w.mu.Unlock()
	})
	return n
}

// GetBatchSizeForAll returns the batch size of every task name the host
// runs.
func (h *WorkerHost) GetBatchSizeForAll() map[string]int {
	h.mu.Lock()
	ws := append([]*worker(nil), h.order...)
	h.mu.Unlock()
	sizes := make(map[string]int, len(ws))
	for _, w := range ws {
		w.mu.Lock()
		sizes[w.cfg.TaskName] += w.capacity
		w.mu.Unlock()
	}
	return sizes
}

func (h *WorkerHost) each(taskName string, f func(*worker)) error {
	if h.err != nil {
		return h.err
	}
	ws := h.workersNamed(taskName)
	if len(ws) == 0 {
		return fmt.Errorf("%w: %q", ErrUnknownTask, taskName)
	}
	for _, w := range ws {
		f(w)
	}
	return nil
}

func (w *worker) setPaused(p bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.paused != p {
		w.log.Info("worker: paused changed", "paused", p)
	}
	w.paused = p
	w.signalLocked()
}

func (w *worker) setCapacity(f func(int) int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.capacity = f(w.capacity)
	w.signalLocked()
}

func (w *worker) addCapacity(n int) { w.setCapacity(func(c int) int { return c + n }) }
