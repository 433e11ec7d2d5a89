package engine

import (
	"github.com/batonhq/baton/internal/jq"
	"github.com/batonhq/baton/internal/script"
)

// newScripting builds the engine's JavaScript sandbox (INLINE, LAMBDA, and
// the conditions of SWITCH and DO_WHILE) and its jq cache
// (JSON_JQ_TRANSFORM), with the limits of the engine's Config.
func (e *Engine) newScripting() {
	e.scripts = script.New(e.cfg.Script)
	e.jq = jq.New(jq.Config{Timeout: e.cfg.JQTimeout, MaxOutputSize: e.cfg.Script.MaxOutputSize})
}
