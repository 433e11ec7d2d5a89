package engine

import (
	"context"
	"encoding/json"

	"github.com/batonhq/baton/model"
)

// flowKind is the shared behaviour of the control-flow operators
// (SWITCH, FORK, JOIN, DO_WHILE...): system tasks the engine runs inside
// the decide loop, with nothing to start or cancel unless a kind says so.
type flowKind struct{}

func (flowKind) system() bool                          { return true }
func (flowKind) async() bool                           { return false }
func (flowKind) validate(*model.WorkflowTask) []string { return nil }
func (flowKind) start(context.Context, *Engine, *execution, *model.WorkerTask) error {
	return nil
}
func (flowKind) execute(context.Context, *Engine, *execution, *model.WorkerTask) (bool, error) {
	return false, nil
}
func (flowKind) cancel(context.Context, *Engine, *execution, *model.WorkerTask) error {
	return nil
}

// mapperOnly is the behaviour of definition types that only map to tasks
// of other types (DYNAMIC, FORK_JOIN_DYNAMIC): no task row ever carries
// their type.
type mapperOnly struct{ workerKind }

// stringList reads a list of strings from task input, which holds a
// []string when the engine wrote it and a []any once read from the store.
func stringList(v any) []string {
	switch l := v.(type) {
	case []string:
		return l
	case []any:
		out := make([]string, 0, len(l))
		for _, s := range l {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// jsonShaped turns a typed value into what decoding its JSON gives (maps,
// lists, float64s), so task input reads the same from memory and from the
// store.
func jsonShaped(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// nonNilStrings is a list as Conductor serialises a default one: never null.
func nonNilStrings(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
