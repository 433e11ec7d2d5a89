package engine

import (
	"container/heap"
	"sync"
	"time"
)

// timers is the engine's one timer scheduler: a heap of keyed deadlines and
// a single goroutine that runs the due ones. Every delayed thing the engine
// does — a retry delay or callback making a task pollable, a workflow's next
// timeout check, a rate-limit window reopening — is an entry here, so no
// periodic sweep adds latency and a fake clock drives all of it in tests.
//
// An entry's key identifies what it is for ("q:<taskId>", "wf:<id>", ...);
// scheduling a key again replaces its deadline. Callbacks run one at a time
// on the scheduler goroutine (or on a test calling runDue) and may schedule
// further entries.
type timers struct {
	clock Clock

	mu      sync.Mutex
	h       timerHeap
	byKey   map[string]*timerEntry
	armedAt time.Time // deadline the clock callback is set for; zero if none
	disarm  func() bool
	wake    chan struct{}

	runMu sync.Mutex // serialises runDue so callers see all due work done
}

type timerEntry struct {
	key   string
	when  time.Time
	fn    func()
	index int
}

func newTimers(clock Clock) *timers {
	return &timers{clock: clock, byKey: make(map[string]*timerEntry), wake: make(chan struct{}, 1)}
}

// schedule runs fn at when (at once if when has passed), replacing any
// entry with the same key.
func (s *timers) schedule(key string, when time.Time, fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.byKey[key]; ok {
		e.when, e.fn = when, fn
		heap.Fix(&s.h, e.index)
	} else {
		e := &timerEntry{key: key, when: when, fn: fn}
		heap.Push(&s.h, e)
		s.byKey[key] = e
	}
	s.armLocked()
}

// cancel removes the entry with key, if any.
func (s *timers) cancel(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.byKey[key]; ok {
		heap.Remove(&s.h, e.index)
		delete(s.byKey, key)
	}
}

// deadline returns when the entry with key is due, if there is one.
func (s *timers) deadline(key string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.byKey[key]; ok {
		return e.when, true
	}
	return time.Time{}, false
}

// armLocked makes sure the clock wakes the loop at the earliest deadline.
func (s *timers) armLocked() {
	if len(s.h) == 0 {
		return
	}
	first := s.h[0].when
	if !s.armedAt.IsZero() && !first.Before(s.armedAt) {
		return // an earlier (or equal) wake-up is already set
	}
	if s.disarm != nil {
		s.disarm()
	}
	s.armedAt = first
	s.disarm = s.clock.AfterFunc(max(first.Sub(s.clock.Now()), 0), s.signal)
}

func (s *timers) signal() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// stop disarms the clock callback; entries stay but nothing runs them.
func (s *timers) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.disarm != nil {
		s.disarm()
		s.disarm = nil
	}
	s.armedAt = time.Time{}
}

// run is the scheduler goroutine: it runs due entries whenever the clock
// fires, until stop is closed.
func (s *timers) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-s.wake:
			s.runDue()
		}
	}
}

// runDue runs every entry whose deadline has passed, including entries the
// callbacks add that are already due, and re-arms the clock for the next.
// Tests call it after advancing a fake clock: when it returns, all work due
// by then is done.
func (s *timers) runDue() {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	for {
		s.mu.Lock()
		now := s.clock.Now()
		if len(s.h) == 0 || s.h[0].when.After(now) {
			s.armedAt = time.Time{}
			if s.disarm != nil {
				s.disarm()
				s.disarm = nil
			}
			s.armLocked()
			s.mu.Unlock()
			return
		}
		e := heap.Pop(&s.h).(*timerEntry)
		delete(s.byKey, e.key)
		s.mu.Unlock()
		e.fn()
	}
}

type timerHeap []*timerEntry

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].when.Equal(h[j].when) {
		return h[i].when.Before(h[j].when)
	}
	return h[i].key < h[j].key // stable order for equal deadlines
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerHeap) Push(x any) {
	e := x.(*timerEntry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *timerHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	e.index = -1
	return e
}
