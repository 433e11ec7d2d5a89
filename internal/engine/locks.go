package engine

import (
	"hash/maphash"
	"sync"
)

const shards = 64

var seed = maphash.MakeSeed()

func shardOf(id string) int { return int(maphash.String(seed, id) % shards) }

// keyedMutex serialises work on one workflow (Conductor's per-workflow
// execution lock) without a global lock: a lock entry exists only while
// someone holds or waits for it, in one of 64 independently locked maps.
type keyedMutex struct {
	shard [shards]struct {
		mu sync.Mutex
		m  map[string]*lockEntry
	}
}

type lockEntry struct {
	mu   sync.Mutex
	refs int
}

func newKeyedMutex() *keyedMutex {
	k := &keyedMutex{}
	for i := range k.shard {
		k.shard[i].m = map[string]*lockEntry{}
	}
	return k
}

// lock locks id and returns the function that unlocks it.
func (k *keyedMutex) lock(id string) (unlock func()) {
	s := &k.shard[shardOf(id)]
	s.mu.Lock()
	e := s.m[id]
	if e == nil {
		e = &lockEntry{}
		s.m[id] = e
	}
	e.refs++
	s.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		s.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(s.m, id)
		}
		s.mu.Unlock()
	}
}

// execCache keeps the executions of running workflows between requests.
// An entry is read and written only by the holder of its workflow's lock;
// anyone may evict one (the next holder reloads it from the store, which
// has every committed change). It holds at most max entries; beyond that
// an arbitrary one is evicted.
type execCache struct {
	max   int
	shard [shards]struct {
		mu sync.Mutex
		m  map[string]*execution
	}
}

func newExecCache(max int) *execCache {
	c := &execCache{max: max}
	for i := range c.shard {
		c.shard[i].m = map[string]*execution{}
	}
	return c
}

func (c *execCache) get(id string) *execution {
	s := &c.shard[shardOf(id)]
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

func (c *execCache) put(id string, x *execution) {
	s := &c.shard[shardOf(id)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[id]; !ok && len(s.m) >= max(c.max/shards, 1) {
		for k := range s.m { // evict one arbitrary entry of this shard
			delete(s.m, k)
			break
		}
	}
	s.m[id] = x
}

func (c *execCache) evict(id string) {
	s := &c.shard[shardOf(id)]
	s.mu.Lock()
	delete(s.m, id)
	s.mu.Unlock()
}

// watchers lets synchronous executions wait for a workflow to change
// without polling the store: every commit of a workflow signals its
// watchers.
type watchers struct {
	mu sync.Mutex
	m  map[string]map[chan struct{}]struct{}
}

func newWatchers() *watchers { return &watchers{m: map[string]map[chan struct{}]struct{}{}} }

// add returns a channel that receives a value after each commit of
// workflow id, and the function that stops watching.
func (w *watchers) add(id string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	s := w.m[id]
	if s == nil {
		s = map[chan struct{}]struct{}{}
		w.m[id] = s
	}
	s[ch] = struct{}{}
	w.mu.Unlock()
	return ch, func() {
		w.mu.Lock()
		delete(w.m[id], ch)
		if len(w.m[id]) == 0 {
			delete(w.m, id)
		}
		w.mu.Unlock()
	}
}

func (w *watchers) notify(id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for ch := range w.m[id] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
