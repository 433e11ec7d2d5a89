package worker

import (
	"context"
	"sync"
)

// counter counts live things (pollers, held slots, running goroutines) and
// lets shutdown wait, with a deadline, until a condition on the count holds.
// Unlike sync.WaitGroup it may go up again after a wait has started.
type counter struct {
	mu      sync.Mutex
	n       int
	changed chan struct{} // closed at the next change; nil while nobody waits
}

func (c *counter) add(d int) {
	c.mu.Lock()
	c.n += d
	if c.changed != nil {
		close(c.changed)
		c.changed = nil
	}
	c.mu.Unlock()
}

func (c *counter) load() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// waitUntil blocks until ok(n) holds or ctx is done. ok is evaluated again at
// every change of this counter.
func (c *counter) waitUntil(ctx context.Context, ok func(n int) bool) error {
	for {
		c.mu.Lock()
		if ok(c.n) {
			c.mu.Unlock()
			return nil
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// waitZero blocks until the count is zero or ctx is done.
func (c *counter) waitZero(ctx context.Context) error {
	return c.waitUntil(ctx, func(n int) bool { return n <= 0 })
}
