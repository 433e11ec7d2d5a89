package engine

import (
	"sort"
	"sync"
	"time"

	"github.com/batonhq/baton/model"
)

// pollData remembers the last poll of every (task type, domain), as
// Conductor's PollDataDAO does. It lives in memory only: after a restart
// workers repopulate it within one poll interval.
type pollData struct {
	mu sync.RWMutex
	m  map[queueKey]model.PollData
}

func newPollData() *pollData { return &pollData{m: map[queueKey]model.PollData{}} }

func (p *pollData) record(k queueKey, workerID string, now time.Time) {
	p.mu.Lock()
	p.m[k] = model.PollData{QueueName: k.taskType, Domain: k.domain, WorkerId: workerID, LastPollTime: now.UnixMilli()}
	p.mu.Unlock()
}

// lastPoll returns when (taskType, domain) was last polled.
func (p *pollData) lastPoll(k queueKey) (time.Time, bool) {
	p.mu.RLock()
	d, ok := p.m[k]
	p.mu.RUnlock()
	if !ok {
		return time.Time{}, false
	}
	return time.UnixMilli(d.LastPollTime), true
}

// forType returns the poll data of every domain of a task type.
func (p *pollData) forType(taskType string) []model.PollData {
	p.mu.RLock()
	out := []model.PollData{}
	for k, d := range p.m {
		if k.taskType == taskType {
			out = append(out, d)
		}
	}
	p.mu.RUnlock()
	sortPollData(out)
	return out
}

func (p *pollData) all() []model.PollData {
	p.mu.RLock()
	out := make([]model.PollData, 0, len(p.m))
	for _, d := range p.m {
		out = append(out, d)
	}
	p.mu.RUnlock()
	sortPollData(out)
	return out
}

func sortPollData(d []model.PollData) {
	sort.Slice(d, func(i, j int) bool {
		if d[i].QueueName != d[j].QueueName {
			return d[i].QueueName < d[j].QueueName
		}
		return d[i].Domain < d[j].Domain
	})
}
