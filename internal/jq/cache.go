package jq

import (
	"cmp"
	"container/list"
	"sync"
	"time"

	"github.com/itchyny/gojq"
)

// Config bounds a Cache and the queries it runs.
type Config struct {
	// Size is how many compiled queries are kept, least recently used out
	// first. Defaults to 1000, JsonJqTransform's cache size.
	Size int
	// Timeout bounds one Transform; a query still running is stopped.
	// Defaults to 4s, the limit Conductor gives scripts (jq has none there).
	Timeout time.Duration
	// MaxOutputSize bounds the JSON of all a query's results together, in
	// bytes. Defaults to 1 MiB.
	MaxOutputSize int
}

// WithDefaults returns c with every zero or negative field set to its default.
func (c Config) WithDefaults() Config {
	c.Size = cmp.Or(max(c.Size, 0), 1000)
	c.Timeout = cmp.Or(max(c.Timeout, 0), 4*time.Second)
	c.MaxOutputSize = cmp.Or(max(c.MaxOutputSize, 0), 1<<20)
	return c
}

// Cache compiles queries once and runs them; it is safe for concurrent use.
type Cache struct {
	cfg Config

	mu    sync.Mutex
	order *list.List // of *entry, most recently used first
	byKey map[string]*list.Element
}

type entry struct {
	query string
	code  *gojq.Code
}

// NewCache returns a Cache that keeps size compiled queries (1000 when size
// is zero or less) with the default limits.
func NewCache(size int) *Cache { return New(Config{Size: size}) }

// New returns a Cache with cfg's defaults filled in.
func New(cfg Config) *Cache {
	return &Cache{cfg: cfg.WithDefaults(), order: list.New(), byKey: make(map[string]*list.Element)}
}

// Config returns the settings in use, defaults filled in.
func (c *Cache) Config() Config { return c.cfg }

// Len returns how many compiled queries the cache holds.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// compile returns query compiled, from the cache when it is there. Two
// callers compiling the same new query at once both compile it; the second
// result replaces nothing and is simply used.
func (c *Cache) compile(query string) (*gojq.Code, error) {
	c.mu.Lock()
	if el, ok := c.byKey[query]; ok {
		c.order.MoveToFront(el)
		code := el.Value.(*entry).code
		c.mu.Unlock()
		return code, nil
	}
	c.mu.Unlock()

	q, err := gojq.Parse(query)
	if err != nil {
		return nil, compileError(query, err)
	}
	// No environment: gojq would otherwise read the server's ($ENV, env).
	code, err := gojq.Compile(q, gojq.WithEnvironLoader(func() []string { return nil }))
	if err != nil {
		return nil, compileError(query, err)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[query]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*entry).code, nil
	}
	c.byKey[query] = c.order.PushFront(&entry{query: query, code: code})
	for c.order.Len() > c.cfg.Size {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*entry).query)
	}
	return code, nil
}
