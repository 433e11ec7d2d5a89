package ui

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/batonhq/baton/model"
)

type queueRow struct {
	TaskType, Domain string
	Size             int
	LastPoll         int64
	LastWorker       string
}

type workerRow struct {
	WorkerID string
	LastPoll int64
	Queues   []string
}

type queuesData struct {
	Queues   []queueRow
	Workers  []workerRow
	PollData []model.PollData
}

// GET /queues: queue sizes per task type and domain, the last poll of
// each queue and of each worker, and the raw poll data.
func (h *Handler) queues(r *http.Request) (*view, error) {
	ctx := r.Context()
	sizes, err := h.svc.QueueSizes(ctx)
	if err != nil {
		return nil, err
	}
	polls, err := h.svc.AllPollData(ctx)
	if err != nil {
		return nil, err
	}
	type key struct{ typ, domain string }
	rows := map[key]*queueRow{}
	get := func(k key) *queueRow {
		if r, ok := rows[k]; ok {
			return r
		}
		r := &queueRow{TaskType: k.typ, Domain: k.domain}
		rows[k] = r
		return r
	}
	for name, n := range sizes {
		k := key{typ: name}
		if domain, typ, ok := strings.Cut(name, ":"); ok {
			k = key{typ: typ, domain: domain}
		}
		get(k).Size = n
	}
	workers := map[string]*workerRow{}
	for _, p := range polls {
		q := get(key{typ: p.QueueName, domain: p.Domain})
		if p.LastPollTime >= q.LastPoll {
			q.LastPoll, q.LastWorker = p.LastPollTime, p.WorkerId
		}
		if p.WorkerId == "" {
			continue
		}
		w, ok := workers[p.WorkerId]
		if !ok {
			w = &workerRow{WorkerID: p.WorkerId}
			workers[p.WorkerId] = w
		}
		w.LastPoll = max(w.LastPoll, p.LastPollTime)
		name := p.QueueName
		if p.Domain != "" {
			name = p.Domain + ":" + name
		}
		if !slices.Contains(w.Queues, name) {
			w.Queues = append(w.Queues, name)
		}
	}
	d := &queuesData{PollData: polls}
	for _, r := range rows {
		d.Queues = append(d.Queues, *r)
	}
	slices.SortFunc(d.Queues, func(a, b queueRow) int {
		return cmp.Or(cmp.Compare(a.TaskType, b.TaskType), cmp.Compare(a.Domain, b.Domain))
	})
	for _, w := range workers {
		slices.Sort(w.Queues)
		d.Workers = append(d.Workers, *w)
	}
	slices.SortFunc(d.Workers, func(a, b workerRow) int { return cmp.Compare(a.WorkerID, b.WorkerID) })
	slices.SortFunc(d.PollData, func(a, b model.PollData) int {
		return cmp.Or(cmp.Compare(a.QueueName, b.QueueName), cmp.Compare(a.Domain, b.Domain), cmp.Compare(a.WorkerId, b.WorkerId))
	})
	return &view{page: "queues", title: "Queues and workers", nav: "queues", data: d}, nil
}
