package script

import (
	"cmp"
	"errors"
	"time"
)

// Config bounds every evaluation a Sandbox runs. The zero value is usable:
// New fills it with WithDefaults.
type Config struct {
	// Timeout bounds one evaluation, result conversion included; the VM is
	// interrupted when it passes. Defaults to 4s, Conductor's
	// CONDUCTOR_SCRIPT_MAX_EXECUTION_SECONDS default (ScriptEvaluator).
	Timeout time.Duration

	// MaxOutputSize bounds the JSON of a result, in bytes; a larger result is
	// an OutputTooLarge error, found while converting, before it is all
	// copied. Defaults to 1 MiB.
	MaxOutputSize int

	// MaxCallStackSize bounds the JavaScript call depth (goja's
	// SetMaxCallStackSize); runaway recursion becomes a RangeError. Defaults
	// to 1024.
	MaxCallStackSize int

	// MaxStringLength bounds the strings a script may build in one step with
	// String.prototype.repeat, padStart and padEnd, in UTF-16 units: goja would
	// otherwise allocate whatever a count asks for. Defaults to 16 MiB.
	MaxStringLength int

	// MaxArrayLength bounds the length of the arrays (and array-likes) a
	// script may hand to Array methods, Array.from and JSON.stringify: goja
	// walks them in Go, holes included, where no interrupt reaches
	// (new Array(2**32-1).map(f)). Defaults to 1M elements.
	MaxArrayLength int

	// MaxHeapGrowth bounds how much the Go heap may grow while an evaluation
	// runs, in bytes, sampled every few milliseconds; past it the evaluation
	// is interrupted with a MemoryLimit error. The heap is the process's, so
	// this is a guard against scripts that build huge values (a string
	// doubled in a loop), not an exact account: a script that allocates in
	// big steps may overshoot it several times before it stops
	// (see heapGuard). Defaults to 128 MiB; a negative value turns the
	// guard off.
	MaxHeapGrowth int64
}

// WithDefaults returns c with every zero field set to its default.
func (c Config) WithDefaults() Config {
	c.Timeout = cmp.Or(c.Timeout, 4*time.Second)
	c.MaxOutputSize = cmp.Or(c.MaxOutputSize, 1<<20)
	c.MaxCallStackSize = cmp.Or(c.MaxCallStackSize, 1024)
	c.MaxStringLength = cmp.Or(c.MaxStringLength, 16<<20)
	c.MaxArrayLength = cmp.Or(c.MaxArrayLength, 1<<20)
	c.MaxHeapGrowth = cmp.Or(c.MaxHeapGrowth, 128<<20)
	return c
}

// Validate reports a setting that cannot work, after defaults are applied.
func (c Config) Validate() error {
	c = c.WithDefaults()
	var errs []error
	if c.Timeout < 0 {
		errs = append(errs, errors.New("script: Timeout must be positive (or zero for the 4s default)"))
	}
	if c.MaxOutputSize < 0 {
		errs = append(errs, errors.New("script: MaxOutputSize must be positive (or zero for the 1 MiB default)"))
	}
	if c.MaxCallStackSize < 0 {
		errs = append(errs, errors.New("script: MaxCallStackSize must be positive (or zero for the default of 1024)"))
	}
	if c.MaxStringLength < 0 {
		errs = append(errs, errors.New("script: MaxStringLength must be positive (or zero for the 16 MiB default)"))
	}
	if c.MaxArrayLength < 0 {
		errs = append(errs, errors.New("script: MaxArrayLength must be positive (or zero for the default of 1M)"))
	}
	return errors.Join(errs...)
}
