package engine

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/batonhq/baton/model"
)

// jsonSize estimates the bytes of v's JSON encoding, walking it without
// encoding it, and stops counting once the total passes limit: a check on
// every start and every task update must cost far less than the encoding
// the store does anyway. Strings count their bytes and quotes, not their
// escapes, so the estimate is a lower bound close to the real size.
func jsonSize(v any, limit int) int {
	n := 0
	sizeInto(v, &n, limit, 0)
	return n
}

// maxSizeDepth stops the walk of a value nested deeper than any JSON body
// the API decodes; encoding/json refuses deeper ones too.
const maxSizeDepth = 10000

func sizeInto(v any, n *int, limit, depth int) {
	if *n > limit || depth > maxSizeDepth {
		return
	}
	switch v := v.(type) {
	case nil:
		*n += 4
	case string:
		*n += len(v) + 2
	case bool:
		*n += 5
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			*n += 4
			return
		}
		*n += len(strconv.FormatFloat(v, 'g', -1, 64))
	case int:
		*n += len(strconv.Itoa(v))
	case int64:
		*n += len(strconv.FormatInt(v, 10))
	case json.Number:
		*n += len(v)
	case map[string]any:
		*n += 2
		for k, e := range v {
			*n += len(k) + 4 // quotes, colon, comma
			sizeInto(e, n, limit, depth+1)
			if *n > limit {
				return
			}
		}
	case []any:
		*n += 2
		for _, e := range v {
			*n++
			sizeInto(e, n, limit, depth+1)
			if *n > limit {
				return
			}
		}
	default:
		// Values the API never decodes (typed structs from an embedding
		// program): encode them to count.
		b, err := json.Marshal(v)
		if err != nil {
			*n += 4
			return
		}
		*n += len(b)
	}
}

// checkWorkflowInput refuses a workflow input larger than
// MaxWorkflowInputSize.
func (e *Engine) checkWorkflowInput(input map[string]any) error {
	limit := e.cfg.MaxWorkflowInputSize
	if n := jsonSize(input, limit); n > limit {
		return badRequest("Workflow input is more than %d bytes of JSON, the limit of this server (MaxWorkflowInputSize, flag --max-workflow-input-size)", limit)
	}
	return nil
}

// taskOutputTooLarge returns the reason a task fails for an output larger
// than MaxTaskOutputSize, or "".
func (e *Engine) taskOutputTooLarge(output map[string]any) string {
	limit := e.cfg.MaxTaskOutputSize
	if n := jsonSize(output, limit); n > limit {
		return fmt.Sprintf("Task output is more than %d bytes of JSON, the limit of this server (MaxTaskOutputSize, flag --max-task-output-size)", limit)
	}
	return ""
}

// taskInputTooLarge returns the reason a worker task fails for an input
// larger than MaxTaskInputSize, or "".
func (e *Engine) taskInputTooLarge(input map[string]any) string {
	limit := e.cfg.MaxTaskInputSize
	if n := jsonSize(input, limit); n > limit {
		return fmt.Sprintf("Task input is more than %d bytes of JSON, the limit of this server (MaxTaskInputSize, flag --max-task-input-size)", limit)
	}
	return ""
}

// checkDefinitionSize refuses a definition with more tasks than
// MaxWorkflowTasks or a FORK_JOIN wider than MaxForkWidth, and a DO_WHILE
// keepLastN above MaxLoopIterationsKept.
func (e *Engine) checkDefinitionSize(v *violations, path string, d *model.WorkflowDef) {
	all := collectTasks(d.Tasks)
	if len(all) > e.cfg.MaxWorkflowTasks {
		v.add(path+".tasks", fmt.Sprintf("WorkflowDef %s has %d tasks, more than the %d this server allows (MaxWorkflowTasks, flag --max-workflow-tasks)",
			d.Name, len(all), e.cfg.MaxWorkflowTasks), len(all))
	}
	for _, wt := range all {
		if wt.TaskType() == model.TaskTypeForkJoin && len(wt.ForkTasks) > e.cfg.MaxForkWidth {
			v.add(path, fmt.Sprintf("FORK_JOIN %s has %d branches, more than the %d this server allows (MaxForkWidth, flag --max-fork-width)",
				wt.TaskReferenceName, len(wt.ForkTasks), e.cfg.MaxForkWidth), len(wt.ForkTasks))
		}
		if wt.TaskType() == model.TaskTypeDoWhile {
			if n, ok := keepLastN(wt); ok && n > e.cfg.MaxLoopIterationsKept {
				v.add(path, fmt.Sprintf("DO_WHILE %s keepLastN %d is more than the %d iterations this server keeps (MaxLoopIterationsKept, flag --max-loop-iterations-kept)",
					wt.TaskReferenceName, n, e.cfg.MaxLoopIterationsKept), n)
			}
		}
	}
}
