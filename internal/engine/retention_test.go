package engine

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// instantDef is a workflow that completes inside its start request.
func instantDef() *model.WorkflowDef {
	return sysDef("instant", model.WorkflowTask{Name: "s", TaskReferenceName: "s", Type: model.TaskTypeInline,
		InputParameters: map[string]any{"evaluatorType": "javascript", "expression": "1"}})
}

func TestRetentionRemovesEndedWorkflowsInBatches(t *testing.T) {
	t.Parallel()
	var archive bytes.Buffer
	h := newHarness(t, func(c *Config) {
		c.Retention = time.Hour
		c.RetentionInterval = 10 * time.Minute
		c.RetentionBatch = 2
		c.RetentionArchive = &archive
	})
	h.workflowDef(instantDef())
	h.workflowDef(simpleWorkflow("waits", "w"))
	var old []string
	for range 5 {
		id := h.start("instant", nil)
		require.Equal(t, model.WorkflowCompleted, h.workflow(id).Status)
		old = append(old, id)
	}
	failed := h.start("waits", nil)
	h.update(h.mustPoll("w"), model.FailedWithTerminalErrorTask, nil)
	running := h.start("waits", nil)
	require.Equal(t, model.WorkflowFailed, h.workflow(failed).Status)
	old = append(old, failed)

	h.advance(30 * time.Minute)
	for _, id := range old {
		require.Equal(t, model.WorkflowStatus(""), missing(h, id), "kept before the retention passed")
	}
	newer := h.start("instant", nil)

	h.advance(40 * time.Minute) // 70 minutes after the first ones ended
	for _, id := range old {
		require.Equal(t, KindNotFound, missing(h, id), "workflow %s removed", id)
	}
	require.Empty(t, missing(h, newer), "ended 40 minutes ago: kept")
	require.Empty(t, missing(h, running), "still running: kept")
	tasks, err := h.st.GetWorkflowTasks(h.ctx, failed)
	require.NoError(t, err)
	require.Empty(t, tasks, "the tasks went with their workflow")

	// Each removed workflow was archived first, with its tasks.
	var archived []string
	sc := bufio.NewScanner(&archive)
	for sc.Scan() {
		var wf model.Workflow
		require.NoError(t, json.Unmarshal(sc.Bytes(), &wf))
		require.NotEmpty(t, wf.Tasks)
		require.True(t, wf.Status.IsTerminal())
		archived = append(archived, wf.WorkflowId)
	}
	require.ElementsMatch(t, old, archived)

	h.advance(30 * time.Minute)
	require.Equal(t, KindNotFound, missing(h, newer))
	require.Empty(t, missing(h, running))
}

// missing returns KindNotFound for a removed workflow, "" for one present.
func missing(h *harness, id string) any {
	_, err := h.e.GetWorkflow(h.ctx, id, false)
	if err == nil {
		return model.WorkflowStatus("")
	}
	return KindOf(err)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// An archive that cannot be written stops the sweep: nothing is removed
// that was not archived.
func TestRetentionKeepsWhatItCannotArchive(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *Config) {
		c.Retention = time.Hour
		c.RetentionArchive = failingWriter{}
	})
	h.workflowDef(instantDef())
	id := h.start("instant", nil)
	h.advance(2 * time.Hour)
	require.Empty(t, missing(h, id))
}

func TestRetentionOffByDefault(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.workflowDef(instantDef())
	id := h.start("instant", nil)
	h.advance(10 * 365 * 24 * time.Hour)
	require.Empty(t, missing(h, id))
	_, ok := h.e.timers.deadline(retentionKey)
	require.False(t, ok)
}
