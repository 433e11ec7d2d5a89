package engine

import (
	"container/heap"
	"sync"
	"time"
)

// queueKey names a task queue: Conductor's "[domain:]taskType"
// (QueueUtils.getQueueName). Poll without a domain reads only the
// un-prefixed queue.
type queueKey struct{ taskType, domain string }

func (k queueKey) String() string {
	if k.domain == "" {
		return k.taskType
	}
	return k.domain + ":" + k.taskType
}

// queueItem is one task waiting to be polled.
type queueItem struct {
	key        queueKey
	taskID     string
	workflowID string
	defName    string // taskDefName: concurrency and rate limits are per definition
	priority   int    // workflow priority; higher is polled first
	visibleAt  time.Time
	seq        uint64 // arrival order, the last tie-breaker
	redeliver  bool   // an IN_PROGRESS task requeued by RequeuePending
	index      int    // heap index, -1 while delayed
}

// taskQueue holds the ready tasks of one (type, domain) in poll order —
// workflow priority descending, then the time the task became pollable, then
// arrival, as Conductor's SQLite queue pops (ORDER BY priority DESC,
// deliver_on, created_on) — and the tasks that become ready later. Long
// polls wait on its signal channel, which is closed and replaced each time
// a task becomes ready, so a waiting poll wakes the moment work arrives.
type taskQueue struct {
	key     queueKey
	mu      sync.Mutex
	ready   readyHeap
	delayed map[string]*queueItem
	all     map[string]*queueItem
	signal  chan struct{}
}

func newTaskQueue(k queueKey) *taskQueue {
	return &taskQueue{key: k, delayed: map[string]*queueItem{}, all: map[string]*queueItem{}, signal: make(chan struct{})}
}

// waitChan returns a channel closed the next time a task becomes ready (or
// a limit that held tasks back lifts).
func (q *taskQueue) waitChan() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.signal
}

// notifyLocked wakes every waiting poll.
func (q *taskQueue) notifyLocked() {
	close(q.signal)
	q.signal = make(chan struct{})
}

func (q *taskQueue) notify() {
	q.mu.Lock()
	q.notifyLocked()
	q.mu.Unlock()
}

// size counts ready and delayed tasks, as Conductor's queue size counts
// every message of the queue.
func (q *taskQueue) size() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.all)
}

// stats returns the queue's size and the earliest time one of its ready
// tasks became pollable (zero when none is ready). It scans the ready
// heap, which is ordered by priority first: a scrape pays for it, a poll
// does not.
func (q *taskQueue) stats() (depth int, oldest time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, it := range q.ready {
		if oldest.IsZero() || it.visibleAt.Before(oldest) {
			oldest = it.visibleAt
		}
	}
	return len(q.all), oldest
}

// remove drops a task from the queue; it reports whether it was there.
func (q *taskQueue) remove(taskID string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	it, ok := q.all[taskID]
	if !ok {
		return false
	}
	delete(q.all, taskID)
	if it.index >= 0 {
		heap.Remove(&q.ready, it.index)
	} else {
		delete(q.delayed, taskID)
	}
	return true
}

// pop takes up to n ready tasks in poll order, skipping (and keeping) tasks
// for which admit returns false. admit is called with q.mu held.
func (q *taskQueue) pop(n int, admit func(*queueItem) bool) []*queueItem {
	q.mu.Lock()
	defer q.mu.Unlock()
	var out, skipped []*queueItem
	for len(out) < n && q.ready.Len() > 0 {
		it := heap.Pop(&q.ready).(*queueItem)
		if !admit(it) {
			skipped = append(skipped, it)
			continue
		}
		delete(q.all, it.taskID)
		out = append(out, it)
	}
	for _, it := range skipped {
		heap.Push(&q.ready, it)
	}
	return out
}

func less(a, b *queueItem) bool {
	if a.priority != b.priority {
		return a.priority > b.priority
	}
	if !a.visibleAt.Equal(b.visibleAt) {
		return a.visibleAt.Before(b.visibleAt)
	}
	return a.seq < b.seq
}

type readyHeap []*queueItem

func (h readyHeap) Len() int           { return len(h) }
func (h readyHeap) Less(i, j int) bool { return less(h[i], h[j]) }
func (h readyHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *readyHeap) Push(x any) {
	it := x.(*queueItem)
	it.index = len(*h)
	*h = append(*h, it)
}
func (h *readyHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	it.index = -1
	return it
}
