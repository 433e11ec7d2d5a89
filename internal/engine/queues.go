package engine

import (
	"container/heap"
	"sync"
	"sync/atomic"
	"time"
)

// queues is the set of task queues, created on first use, plus an index
// from task id to the queue holding it so a task can be removed (when it
// is updated, cancelled or its workflow removed) without knowing its domain.
// Delayed tasks become ready through the engine's timer scheduler.
type queues struct {
	timers *timers
	clock  Clock
	seq    atomic.Uint64

	mu        sync.RWMutex
	m         map[queueKey]*taskQueue
	defQueues map[string]map[queueKey]struct{} // taskDefName → queues that held its tasks

	// where maps a task id to its queued item, sharded so that pushes and
	// polls of different tasks do not wait for each other.
	where [shards]struct {
		mu sync.Mutex
		m  map[string]*queueItem
	}
}

func newQueues(t *timers, c Clock) *queues {
	qs := &queues{timers: t, clock: c, m: map[queueKey]*taskQueue{}, defQueues: map[string]map[queueKey]struct{}{}}
	for i := range qs.where {
		qs.where[i].m = map[string]*queueItem{}
	}
	return qs
}

// get returns the queue for k, creating it.
func (qs *queues) get(k queueKey) *taskQueue {
	qs.mu.RLock()
	q := qs.m[k]
	qs.mu.RUnlock()
	if q != nil {
		return q
	}
	qs.mu.Lock()
	defer qs.mu.Unlock()
	if q = qs.m[k]; q == nil {
		q = newTaskQueue(k)
		qs.m[k] = q
	}
	return q
}

// push puts a task in queue k, pollable after delay. A task already queued
// (anywhere) is moved, as Conductor's push/postpone replace the message.
func (qs *queues) push(k queueKey, it *queueItem, delay time.Duration) {
	qs.remove(it.taskID)
	q := qs.get(k)
	it.key = k
	w := &qs.where[shardOf(it.taskID)]
	w.mu.Lock()
	w.m[it.taskID] = it
	w.mu.Unlock()
	qs.mu.RLock()
	_, known := qs.defQueues[it.defName][k]
	qs.mu.RUnlock()
	if !known {
		qs.mu.Lock()
		dq := qs.defQueues[it.defName]
		if dq == nil {
			dq = map[queueKey]struct{}{}
			qs.defQueues[it.defName] = dq
		}
		dq[k] = struct{}{}
		qs.mu.Unlock()
	}

	it.seq = qs.seq.Add(1)
	it.visibleAt = qs.clock.Now().Add(max(delay, 0))
	q.mu.Lock()
	q.all[it.taskID] = it
	if delay <= 0 {
		heap.Push(&q.ready, it)
		q.notifyLocked()
		q.mu.Unlock()
		return
	}
	it.index = -1
	q.delayed[it.taskID] = it
	q.mu.Unlock()
	taskID := it.taskID
	qs.timers.schedule("q:"+taskID, it.visibleAt, func() { qs.makeReady(k, taskID) })
}

// makeReady moves a delayed task to the ready heap and wakes pollers.
func (qs *queues) makeReady(k queueKey, taskID string) {
	q := qs.get(k)
	q.mu.Lock()
	defer q.mu.Unlock()
	it, ok := q.delayed[taskID]
	if !ok {
		return
	}
	delete(q.delayed, taskID)
	heap.Push(&q.ready, it)
	q.notifyLocked()
}

// remove takes a task out of whichever queue holds it.
func (qs *queues) remove(taskID string) {
	w := &qs.where[shardOf(taskID)]
	w.mu.Lock()
	it, ok := w.m[taskID]
	delete(w.m, taskID)
	w.mu.Unlock()
	if !ok {
		return
	}
	qs.mu.RLock()
	q := qs.m[it.key]
	qs.mu.RUnlock()
	qs.timers.cancel("q:" + taskID)
	if q != nil {
		q.remove(taskID)
	}
}

// forget drops the index entry of an item a poll has taken, unless the task
// has been queued again since.
func (qs *queues) forget(it *queueItem) {
	w := &qs.where[shardOf(it.taskID)]
	w.mu.Lock()
	if w.m[it.taskID] == it {
		delete(w.m, it.taskID)
	}
	w.mu.Unlock()
}

// contains reports whether a task is queued.
func (qs *queues) contains(taskID string) bool {
	w := &qs.where[shardOf(taskID)]
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.m[taskID]
	return ok
}

// notifyDef wakes the polls of every queue that holds tasks of a
// definition, when a concurrency slot or rate-limit window frees up.
func (qs *queues) notifyDef(defName string) {
	qs.mu.RLock()
	var qq []*taskQueue
	for k := range qs.defQueues[defName] {
		qq = append(qq, qs.m[k])
	}
	qs.mu.RUnlock()
	for _, q := range qq {
		q.notify()
	}
}

// size returns the number of tasks in queue k.
func (qs *queues) size(k queueKey) int {
	qs.mu.RLock()
	q := qs.m[k]
	qs.mu.RUnlock()
	if q == nil {
		return 0
	}
	return q.size()
}

// sizes returns the size of every queue that exists, keyed by queue name.
func (qs *queues) sizes() map[string]int {
	qs.mu.RLock()
	qq := make([]*taskQueue, 0, len(qs.m))
	for _, q := range qs.m {
		qq = append(qq, q)
	}
	qs.mu.RUnlock()
	out := make(map[string]int, len(qq))
	for _, q := range qq {
		out[q.key.String()] = q.size()
	}
	return out
}

// stats reads the depth and oldest pollable task of every queue that has
// held a task (see Engine.QueueStats).
func (qs *queues) stats(now time.Time) []QueueStat {
	qs.mu.RLock()
	qq := make([]*taskQueue, 0, len(qs.m))
	for _, dq := range qs.defQueues {
		for k := range dq {
			if q := qs.m[k]; q != nil {
				qq = append(qq, q)
			}
		}
	}
	qs.mu.RUnlock()
	out := make([]QueueStat, 0, len(qq))
	seen := make(map[queueKey]bool, len(qq))
	for _, q := range qq {
		if seen[q.key] { // two definitions can share a queue
			continue
		}
		seen[q.key] = true
		depth, oldest := q.stats()
		st := QueueStat{TaskType: q.key.taskType, Domain: q.key.domain, Depth: depth}
		if !oldest.IsZero() && now.After(oldest) {
			st.OldestAge = now.Sub(oldest)
		}
		out = append(out, st)
	}
	return out
}
