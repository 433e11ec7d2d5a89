package executor

import (
	"cmp"
	"fmt"
	"time"
)

// Config tunes a WorkflowExecutor. Its zero value gives the defaults
// written on each field.
type Config struct {
	// MinPollInterval is the wait before the second look at a watched
	// workflow; each later wait doubles, up to MaxPollInterval. Defaults to
	// 10ms.
	MinPollInterval time.Duration
	// MaxPollInterval bounds the wait between two looks at a watched
	// workflow. Defaults to 1s.
	MaxPollInterval time.Duration
	// MaxConcurrentPolls bounds the requests in flight for watched
	// workflows. Defaults to 32.
	MaxConcurrentPolls int
	// StartConcurrency bounds the starts StartWorkflows sends at once.
	// Defaults to 256 (conductor-go's WORKFLOW_EXECUTOR_START_BATCH_SIZE).
	StartConcurrency int
}

// WithDefaults returns a copy of c with zero fields filled in.
func (c Config) WithDefaults() Config {
	c.MinPollInterval = cmp.Or(c.MinPollInterval, 10*time.Millisecond)
	c.MaxPollInterval = cmp.Or(c.MaxPollInterval, time.Second)
	c.MaxConcurrentPolls = cmp.Or(c.MaxConcurrentPolls, 32)
	c.StartConcurrency = cmp.Or(c.StartConcurrency, 256)
	return c
}

func (c Config) validate() error {
	switch {
	case c.MinPollInterval < 0:
		return fmt.Errorf("executor: MinPollInterval %v must not be negative", c.MinPollInterval)
	case c.MaxPollInterval < c.MinPollInterval:
		return fmt.Errorf("executor: MaxPollInterval %v must not be below MinPollInterval %v", c.MaxPollInterval, c.MinPollInterval)
	case c.MaxConcurrentPolls < 0:
		return fmt.Errorf("executor: MaxConcurrentPolls %d must not be negative", c.MaxConcurrentPolls)
	case c.StartConcurrency < 0:
		return fmt.Errorf("executor: StartConcurrency %d must not be negative", c.StartConcurrency)
	}
	return nil
}
