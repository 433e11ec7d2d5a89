package client

import "time"

// SetTokenClock makes c's token source read time from now.
func SetTokenClock(c *APIClient, now func() time.Time) {
	c.tokens.mu.Lock()
	c.tokens.now = now
	c.tokens.mu.Unlock()
}

// SetTokenWaitHook makes c's token source call hook whenever a caller starts
// waiting for a fetch that another caller runs.
func SetTokenWaitHook(c *APIClient, hook func()) {
	c.tokens.mu.Lock()
	c.tokens.waitHook = hook
	c.tokens.mu.Unlock()
}

// NewDefaultLogger is DefaultLogger writing to w, with the environment read
// through lookup.
var NewDefaultLogger = newDefaultLogger
