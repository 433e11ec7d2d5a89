package engine

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// metaCache keeps task definitions and workflow definitions read from the
// store, so that starting a workflow, scheduling a task and admitting a poll
// do not each read the store. The engine is the only writer of definitions,
// and it invalidates an entry whenever it writes one. Values handed out are
// shared: callers must not modify them (cloneWorkflowDef first).
type metaCache struct {
	st store.Store

	mu       sync.RWMutex
	taskDefs map[string]*model.TaskDef // nil value: known not to exist
	wfDefs   map[wfDefKey]*model.WorkflowDef
	// resolved holds registered definitions ready to run: copied, with
	// every task's definition filled in. Executions share them read-only;
	// any change to a workflow or task definition drops them.
	resolved map[wfDefKey]*model.WorkflowDef
	gen      uint64
}

// wfDefKey is (name, version); version 0 is the latest.
type wfDefKey struct {
	name    string
	version int
}

func newMetaCache(st store.Store) *metaCache {
	return &metaCache{st: st, taskDefs: map[string]*model.TaskDef{}, wfDefs: map[wfDefKey]*model.WorkflowDef{},
		resolved: map[wfDefKey]*model.WorkflowDef{}}
}

// taskDef returns a registered task definition, or nil when there is none.
func (c *metaCache) taskDef(ctx context.Context, name string) (*model.TaskDef, error) {
	c.mu.RLock()
	d, ok := c.taskDefs[name]
	c.mu.RUnlock()
	if ok {
		return d, nil
	}
	d, err := c.st.GetTaskDef(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		d, err = nil, nil
	}
	if err != nil {
		return nil, internalf(err, "read task definition %s", name)
	}
	c.mu.Lock()
	c.taskDefs[name] = d
	c.mu.Unlock()
	return d, nil
}

// cachedTaskDef returns a task definition only if it is cached; the poll
// path uses it to read limits without touching the store under a queue lock.
func (c *metaCache) cachedTaskDef(name string) *model.TaskDef {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.taskDefs[name]
}

func (c *metaCache) forgetTaskDef(name string) {
	c.mu.Lock()
	delete(c.taskDefs, name)
	clear(c.resolved)
	c.gen++
	c.mu.Unlock()
}

// resolvedDef returns a cached ready-to-run definition, if any.
func (c *metaCache) resolvedDef(name string, version int) *model.WorkflowDef {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.resolved[wfDefKey{name, version}]
}

// keepResolved caches a ready-to-run definition unless a definition changed
// since gen was read.
func (c *metaCache) keepResolved(name string, version int, d *model.WorkflowDef, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.resolved[wfDefKey{name, version}] = d
	}
}

// generation counts definition changes, so that a definition resolved
// while another request changed one is not cached.
func (c *metaCache) generation() uint64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.gen
}

// workflowDef returns a registered workflow definition (version 0: the
// latest), or nil when there is none.
func (c *metaCache) workflowDef(ctx context.Context, name string, version int) (*model.WorkflowDef, error) {
	k := wfDefKey{name, version}
	c.mu.RLock()
	d, ok := c.wfDefs[k]
	c.mu.RUnlock()
	if ok {
		return d, nil
	}
	d, err := c.st.GetWorkflowDef(ctx, name, version)
	if errors.Is(err, store.ErrNotFound) {
		d, err = nil, nil
	}
	if err != nil {
		return nil, internalf(err, "read workflow definition %s", name)
	}
	c.mu.Lock()
	c.wfDefs[k] = d
	c.mu.Unlock()
	return d, nil
}

func (c *metaCache) forgetWorkflowDef(name string) {
	c.mu.Lock()
	for k := range c.wfDefs {
		if k.name == name {
			delete(c.wfDefs, k)
		}
	}
	for k := range c.resolved {
		if k.name == name {
			delete(c.resolved, k)
		}
	}
	c.gen++
	c.mu.Unlock()
}

// limitsOf returns the delivery limits of a task definition from the cache.
// A definition not yet cached has none until something reads it (every
// task is scheduled through taskDef, which caches it).
func (c *metaCache) limitsOf(name string) defLimits {
	d := c.cachedTaskDef(name)
	if d == nil {
		return defLimits{}
	}
	var l defLimits
	if d.ConcurrentExecLimit != nil && *d.ConcurrentExecLimit > 0 {
		l.concurrent = *d.ConcurrentExecLimit
	}
	if d.RateLimitPerFrequency > 0 {
		l.ratePer = d.RateLimitPerFrequency
		l.rateWindow = time.Duration(max(d.RateLimitFrequencyInSeconds, 1)) * time.Second
	}
	return l
}

// cloneWorkflowDef deep-copies a definition (through JSON, which is also how
// the store hands it back, so numbers in maps stay float64).
func cloneWorkflowDef(d *model.WorkflowDef) (*model.WorkflowDef, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, err
	}
	var out model.WorkflowDef
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
