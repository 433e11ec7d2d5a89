package server

// RunDueTimers runs every engine timer that is due by Config.Clock (retry
// delays, callbacks, WAIT durations, timeouts) and waits for the system
// task work they start, until nothing due is left. The engine does this by
// itself on a real clock; a test that moves a fake clock calls it to know the
// server has caught up before it looks (batontest's Clock.Advance does).
func (s *Server) RunDueTimers() { s.engine.RunDueTimers() }

// WatchWorkflow returns a channel that receives a value after each change
// of workflow id is committed, and the function that stops watching. The
// channel holds one value, so a reader that looks at the workflow after
// each receive misses no change. Tests use it to wait for a workflow
// without polling; see batontest's Server.Await.
func (s *Server) WatchWorkflow(id string) (changed <-chan struct{}, stop func()) {
	return s.engine.WatchWorkflow(id)
}
