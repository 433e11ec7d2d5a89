package engine

// WatchWorkflow returns a channel that receives a value after each commit of
// workflow id (a task scheduled, updated or ended, the workflow's status
// changed), and the function that stops watching. The channel holds one
// value: a reader that looks at the workflow after each receive misses no
// change. Watching an id that does not exist (yet) is allowed.
func (e *Engine) WatchWorkflow(id string) (changed <-chan struct{}, stop func()) {
	return e.watch.add(id)
}
