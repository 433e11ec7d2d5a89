package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Retention: ended workflows older than Config.Retention are removed by a
// sweep that the timer scheduler starts every RetentionInterval. The sweep
// runs off the timer goroutine, on the off-loop runner, so that timers keep
// firing while it works; it removes at most RetentionBatch workflows a run,
// each through Remove (its own lock and commit), so no request waits on
// more than one removal. A full batch schedules the next run at once.

const retentionKey = "retention"

var terminalStatuses = []model.WorkflowStatus{model.WorkflowCompleted, model.WorkflowFailed,
	model.WorkflowTimedOut, model.WorkflowTerminated}

func (e *Engine) armRetention(at time.Time) {
	if e.cfg.Retention <= 0 {
		return
	}
	e.timers.schedule(retentionKey, at, func() {
		if e.bg.Err() != nil {
			return
		}
		e.sys.launch(e.sweepRetention)
	})
}

// sweepRetention removes one batch of expired workflows and schedules the
// next run.
func (e *Engine) sweepRetention() {
	ctx := e.bg
	now := e.clock.Now()
	removed, full, err := e.removeExpired(now.Add(-e.cfg.Retention))
	if ctx.Err() != nil {
		return
	}
	next := now.Add(e.cfg.RetentionInterval)
	switch {
	case err != nil:
		e.log.Error("retention: sweep stopped; it runs again later", "err", err, "removed", removed, "retryAt", next)
	case full:
		next = now // more are due: carry on after other timers had their turn
	}
	if removed > 0 {
		e.log.Info("retention: removed ended workflows", "count", removed, "olderThan", e.cfg.Retention)
	}
	e.armRetention(next)
}

// removeExpired removes up to RetentionBatch workflows that ended before
// cutoff, oldest first, archiving each first when RetentionArchive is set.
// full reports that the batch was full.
func (e *Engine) removeExpired(cutoff time.Time) (removed int, full bool, err error) {
	ctx := e.bg
	batch := e.cfg.RetentionBatch
	// One status at a time: the store's (status, update_time) index then
	// hands the oldest over in order, without sorting every ended workflow.
	var wfs []*model.Workflow
	for _, st := range terminalStatuses {
		if len(wfs) == batch {
			break
		}
		page, _, err := e.st.SearchWorkflows(ctx, store.WorkflowQuery{
			Statuses:      []model.WorkflowStatus{st},
			UpdatedBefore: cutoff,
			Sort:          []store.SortField{{Field: "updateTime"}},
			Limit:         batch - len(wfs),
		})
		if err != nil {
			return 0, false, fmt.Errorf("find expired workflows: %w", err)
		}
		wfs = append(wfs, page...)
	}
	for _, w := range wfs {
		if ctx.Err() != nil {
			break // stopping: the next start carries on
		}
		if e.cfg.RetentionArchive != nil {
			if err := e.archive(ctx, w.WorkflowId); err != nil {
				return removed, false, err
			}
		}
		err := e.Remove(ctx, w.WorkflowId, true)
		switch {
		case err == nil:
			removed++
		case KindOf(err) == KindNotFound || KindOf(err) == KindInvalid:
			// Removed meanwhile, or rerun and running again: not ours now.
		default:
			return removed, false, fmt.Errorf("remove workflow %s: %w", w.WorkflowId, err)
		}
	}
	return removed, len(wfs) == batch && ctx.Err() == nil, nil
}

// archive writes a workflow, tasks included, as one JSON line.
func (e *Engine) archive(ctx context.Context, id string) error {
	wf, err := e.GetWorkflow(ctx, id, true)
	if KindOf(err) == KindNotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read workflow %s to archive: %w", id, err)
	}
	b, err := json.Marshal(wf)
	if err != nil {
		return fmt.Errorf("encode workflow %s to archive: %w", id, err)
	}
	if _, err := e.cfg.RetentionArchive.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("archive workflow %s: %w", id, err)
	}
	return nil
}
