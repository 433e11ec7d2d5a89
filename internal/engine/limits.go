package engine

import (
	"sync"
	"time"
)

// defLimits are the delivery limits of one task definition.
type defLimits struct {
	concurrent int           // concurrentExecLimit; 0 = none
	ratePer    int           // rateLimitPerFrequency; 0 = none
	rateWindow time.Duration // rateLimitFrequencyInSeconds
}

// limiter enforces concurrentExecLimit and rateLimitPerFrequency at poll
// time, per task definition.
//
// Conductor postpones a task that hits either limit by 60 s
// (taskExecutionPostponeDuration), so a freed slot stays unused for up to a
// minute, and its SQLite backend does not rate-limit at all. Here a limited
// task simply stays at the head of its queue: the moment a slot frees (a
// task of that definition leaves IN_PROGRESS) or the rate window reopens,
// waiting polls are woken and the next task goes out.
type limiter struct {
	limits func(defName string) defLimits
	clock  Clock
	timers *timers
	wake   func(defName string)

	mu         sync.Mutex
	inProgress map[string]map[string]struct{} // def → ids IN_PROGRESS or reserved by a poll
	deliveries map[string][]time.Time         // def → delivery times inside the rate window
}

func newLimiter(limits func(string) defLimits, c Clock, t *timers, wake func(string)) *limiter {
	return &limiter{limits: limits, clock: c, timers: t, wake: wake,
		inProgress: map[string]map[string]struct{}{}, deliveries: map[string][]time.Time{}}
}

// admit reserves a delivery of task id of def, or reports that a limit
// holds it back for now.
func (l *limiter) admit(def, id string) bool {
	lim := l.limits(def)
	l.mu.Lock()
	defer l.mu.Unlock()
	_, holds := l.inProgress[def][id] // a requeued IN_PROGRESS task keeps its slot
	if lim.concurrent > 0 && !holds && len(l.inProgress[def]) >= lim.concurrent {
		return false
	}
	now := l.clock.Now()
	if lim.ratePer > 0 && lim.rateWindow > 0 {
		d := l.deliveries[def]
		cut := 0
		for cut < len(d) && !d[cut].After(now.Add(-lim.rateWindow)) {
			cut++
		}
		d = d[cut:]
		l.deliveries[def] = d
		if len(d) >= lim.ratePer {
			// Wake the pollers when the oldest delivery leaves the window.
			l.timers.schedule("rate:"+def, d[0].Add(lim.rateWindow), func() { l.wake(def) })
			return false
		}
		l.deliveries[def] = append(d, now)
	}
	if lim.concurrent > 0 {
		l.addLocked(def, id)
	}
	return true
}

// unreserve returns a reservation whose delivery did not happen.
func (l *limiter) unreserve(def, id string) {
	lim := l.limits(def)
	l.mu.Lock()
	freed := l.removeLocked(def, id)
	if lim.ratePer > 0 {
		if d := l.deliveries[def]; len(d) > 0 {
			l.deliveries[def] = d[:len(d)-1]
			freed = true
		}
	}
	l.mu.Unlock()
	if freed {
		l.wake(def)
	}
}

// observe tracks a committed worker-task state: IN_PROGRESS holds a slot,
// anything else frees it and wakes the definition's pollers.
func (l *limiter) observe(def, id string, inProgress bool) {
	l.mu.Lock()
	var freed bool
	if inProgress {
		l.addLocked(def, id)
	} else {
		freed = l.removeLocked(def, id)
	}
	l.mu.Unlock()
	if freed {
		l.wake(def)
	}
}

func (l *limiter) addLocked(def, id string) {
	s := l.inProgress[def]
	if s == nil {
		s = map[string]struct{}{}
		l.inProgress[def] = s
	}
	s[id] = struct{}{}
}

func (l *limiter) removeLocked(def, id string) bool {
	s := l.inProgress[def]
	if _, ok := s[id]; !ok {
		return false
	}
	delete(s, id)
	if len(s) == 0 {
		delete(l.inProgress, def)
	}
	return true
}

// running returns how many tasks of def hold a slot.
func (l *limiter) running(def string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.inProgress[def])
}
