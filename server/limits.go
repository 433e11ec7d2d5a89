package server

import (
	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/internal/script"
)

// apply copies the limits into an engine configuration; zero fields keep
// the engine's defaults.
func (l Limits) apply(c *engine.Config) {
	c.Script = script.Config{
		Timeout:          l.ScriptTimeout,
		MaxOutputSize:    l.ScriptMaxOutputSize,
		MaxCallStackSize: l.ScriptMaxCallStack,
		MaxStringLength:  l.ScriptMaxStringLength,
		MaxArrayLength:   l.ScriptMaxArrayLength,
		MaxHeapGrowth:    l.ScriptMaxHeapGrowth,
	}
	c.JQTimeout = l.JQTimeout
	c.MaxWorkflowTasks = l.MaxWorkflowTasks
	c.MaxForkWidth = l.MaxForkWidth
	c.MaxLoopIterationsKept = l.MaxLoopIterationsKept
	c.MaxWorkflowInputSize = l.MaxWorkflowInputSize
	c.MaxTaskOutputSize = l.MaxTaskOutputSize
	c.MaxTaskInputSize = l.MaxTaskInputSize
}
