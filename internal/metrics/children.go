package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// children caches the children of a metric vector by their label values,
// so that the hot path neither hashes the labels nor allocates the
// variadic slice WithLabelValues takes: one map read under a read lock.
type children[K comparable, T any] struct {
	mu   sync.RWMutex
	m    map[K]T
	make func(K) T
}

func newChildren[K comparable, T any](mk func(K) T) *children[K, T] {
	return &children[K, T]{m: map[K]T{}, make: mk}
}

func (c *children[K, T]) get(k K) T {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	if ok {
		return v
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok = c.m[k]; !ok {
		v = c.make(k)
		c.m[k] = v
	}
	return v
}

type pair struct{ a, b string }

// routeCode keys the HTTP children.
type routeCode struct {
	route string
	code  int
}

type httpChildren struct {
	count prometheus.Counter
	time  prometheus.Observer
}
