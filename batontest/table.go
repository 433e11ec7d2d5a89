package batontest

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/batonhq/baton/model"
)

// detailWidth bounds the detail column of TaskTable.
const detailWidth = 72

// TaskTable renders what a workflow did, one line per task in order, for
// failure messages and logs:
//
//	workflow payment v1 5f0c…: COMPLETED
//	  #  ref        type    status     retry  detail
//	  1  charge     SIMPLE  FAILED     0      card network busy
//	  2  charge     SIMPLE  COMPLETED  1      {"charged":42}
//	  3  cool_off   WAIT    COMPLETED  0      {}
//
// The detail is the task's reasonForIncompletion when it has one, else its
// output as JSON, shortened to one line.
func TaskTable(wf *model.Workflow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "workflow %s v%d %s: %s", wf.WorkflowName, wf.WorkflowVersion, wf.WorkflowId, wf.Status)
	if wf.ReasonForIncompletion != "" {
		fmt.Fprintf(&b, " (%s)", shorten(wf.ReasonForIncompletion))
	}
	b.WriteString("\n")
	if len(wf.Tasks) == 0 {
		b.WriteString("  (no tasks)\n")
		return b.String()
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tref\ttype\tstatus\tretry\tdetail")
	for i, t := range wf.Tasks {
		detail := t.ReasonForIncompletion
		if detail == "" {
			detail = compactJSON(orEmpty(t.OutputData))
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%d\t%s\n", i+1, t.ReferenceTaskName, t.TaskType, t.Status, t.RetryCount, shorten(detail))
	}
	_ = tw.Flush() // a strings.Builder does not fail
	return b.String()
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > detailWidth {
		return string(r[:detailWidth-1]) + "…"
	}
	return s
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }
