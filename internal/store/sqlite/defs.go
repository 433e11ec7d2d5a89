package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// Definitions are small and rarely written; their writes still go through
// the writer goroutine, which owns the only write connection.

// PutTaskDef creates or replaces a task definition by name. A nil
// definition or an empty name is store.ErrInvalid.
func (s *Store) PutTaskDef(ctx context.Context, def *model.TaskDef) error {
	if def == nil || def.Name == "" {
		return fmt.Errorf("sqlite: put task definition: %w: the name is empty", store.ErrInvalid)
	}
	js, err := json.Marshal(def)
	if err != nil {
		return fmt.Errorf("sqlite: put task definition %s: %w: %w", def.Name, store.ErrInvalid, err)
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.exec(ctx, s.ws.putTaskDef, def.Name, string(js))
		return err
	})
}

// GetTaskDef returns a task definition or store.ErrNotFound.
func (s *Store) GetTaskDef(ctx context.Context, name string) (def *model.TaskDef, err error) {
	err = s.read(func() error {
		def, err = decodeOne[model.TaskDef](s.rs.getTaskDef.QueryRowContext(ctx, name), "task definition "+name)
		return err
	})
	return def, err
}

// ListTaskDefs returns every task definition, sorted by name.
func (s *Store) ListTaskDefs(ctx context.Context) (defs []*model.TaskDef, err error) {
	err = s.read(func() error {
		defs, err = queryJSON[model.TaskDef](ctx, s.rs.listTaskDefs)
		return err
	})
	return defs, err
}

// DeleteTaskDef removes a task definition or returns store.ErrNotFound.
func (s *Store) DeleteTaskDef(ctx context.Context, name string) error {
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.exec(ctx, s.ws.deleteTaskDef, name)
		return noRowsIs(res, err, fmt.Errorf("task definition %s: %w", name, store.ErrNotFound))
	})
}

// CreateWorkflowDef adds a definition, or returns store.ErrConflict if its
// (name, version) exists. An empty name or a version below 1 is
// store.ErrInvalid.
func (s *Store) CreateWorkflowDef(ctx context.Context, def *model.WorkflowDef) error {
	js, err := encodeWorkflowDef(def)
	if err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.exec(ctx, s.ws.createWorkflowDef, def.Name, def.Version, js)
		return noRowsIs(res, err, fmt.Errorf("workflow definition %s version %d: %w", def.Name, def.Version, store.ErrConflict))
	})
}

// PutWorkflowDef creates or replaces a definition by (name, version).
func (s *Store) PutWorkflowDef(ctx context.Context, def *model.WorkflowDef) error {
	js, err := encodeWorkflowDef(def)
	if err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		_, err := tx.exec(ctx, s.ws.putWorkflowDef, def.Name, def.Version, js)
		return err
	})
}

func encodeWorkflowDef(def *model.WorkflowDef) (string, error) {
	switch {
	case def == nil || def.Name == "":
		return "", fmt.Errorf("sqlite: write workflow definition: %w: the name is empty", store.ErrInvalid)
	case def.Version < 1:
		return "", fmt.Errorf("sqlite: write workflow definition %s: %w: version %d, want 1 or more", def.Name, store.ErrInvalid, def.Version)
	}
	js, err := json.Marshal(def)
	if err != nil {
		return "", fmt.Errorf("sqlite: write workflow definition %s: %w: %w", def.Name, store.ErrInvalid, err)
	}
	return string(js), nil
}

// GetWorkflowDef returns one version, or the latest when version is 0, or
// store.ErrNotFound.
func (s *Store) GetWorkflowDef(ctx context.Context, name string, version int) (def *model.WorkflowDef, err error) {
	err = s.read(func() error {
		if version == 0 {
			row := s.rs.getLatestWorkflowDef.QueryRowContext(ctx, name)
			def, err = decodeOne[model.WorkflowDef](row, "workflow definition "+name)
		} else {
			row := s.rs.getWorkflowDef.QueryRowContext(ctx, name, version)
			def, err = decodeOne[model.WorkflowDef](row, fmt.Sprintf("workflow definition %s version %d", name, version))
		}
		return err
	})
	return def, err
}

// ListWorkflowDefs returns every version of every definition, sorted by name
// then version.
func (s *Store) ListWorkflowDefs(ctx context.Context) (defs []*model.WorkflowDef, err error) {
	err = s.read(func() error {
		defs, err = queryJSON[model.WorkflowDef](ctx, s.rs.listWorkflowDefs)
		return err
	})
	return defs, err
}

// DeleteWorkflowDef removes one version or returns store.ErrNotFound.
func (s *Store) DeleteWorkflowDef(ctx context.Context, name string, version int) error {
	return s.write(ctx, func(ctx context.Context, tx *wtx) error {
		res, err := tx.exec(ctx, s.ws.deleteWorkflowDef, name, version)
		return noRowsIs(res, err, fmt.Errorf("workflow definition %s version %d: %w", name, version, store.ErrNotFound))
	})
}

// noRowsIs turns a statement that changed no row into notDone, marked as
// leaving the transaction unchanged.
func noRowsIs(res sql.Result, err, notDone error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return &unchanged{notDone}
	}
	return nil
}
