package engine

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// SetVariableTaskSpec "passing variables payload size threshold": the
// variables stay as they were and the task fails with a terminal error.
func TestSetVariableSizeLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) { c.MaxWorkflowVariablesSize = 1024 })
	d := model.NewWorkflowDef("vars")
	d.Tasks = []model.WorkflowTask{
		{Name: "small", TaskReferenceName: "small", Type: model.TaskTypeSetVariable, InputParameters: map[string]any{"a": "x"}},
		{Name: "big", TaskReferenceName: "big", Type: model.TaskTypeSetVariable, InputParameters: map[string]any{"b": "${workflow.input.big}"}},
	}
	h.workflowDef(d)
	id := h.start("vars", map[string]any{"big": strings.Repeat("y", 2000)})
	wf := h.workflow(id)
	require.Equal(t, model.WorkflowFailed, wf.Status)
	require.Equal(t, map[string]any{"a": "x"}, wf.Variables)
	big := wf.TaskByRefName("big")
	require.Equal(t, model.TaskFailedWithTerminalError, big.Status)
	require.Equal(t, "The variables payload size: 2016 of workflow: "+id+" is greater than the permissible limit: 1 kilobytes", big.ReasonForIncompletion)
}
