package client

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// TestCloneSharesNothing fills every field, so a reference-typed field added
// to the model without a line in clone.go fails here.
func TestCloneSharesNothing(t *testing.T) {
	t.Parallel()
	var w model.WorkflowTask
	fill(reflect.ValueOf(&w).Elem(), 0)
	c := cloneWorkflowTask(&w)
	require.Equal(t, &w, c)
	requireDisjoint(t, reflect.ValueOf(&w), reflect.ValueOf(c), "WorkflowTask")

	var d model.TaskDef
	fill(reflect.ValueOf(&d).Elem(), 0)
	cd := cloneTaskDef(&d)
	require.Equal(t, &d, cd)
	requireDisjoint(t, reflect.ValueOf(&d), reflect.ValueOf(cd), "TaskDef")

	require.Nil(t, cloneWorkflowTask(nil))
	require.Nil(t, cloneTaskDef(nil))
	require.Nil(t, cloneAny(nil))
	require.Equal(t, []model.WorkflowTask(nil), cloneWorkflowTasks(nil))
}

// requireDisjoint walks two equal values and fails where they share a
// pointer, map or slice backing array.
func requireDisjoint(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	switch a.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice:
		if a.IsNil() {
			return
		}
		if a.Kind() != reflect.Slice || a.Len() > 0 {
			require.NotEqual(t, a.Pointer(), b.Pointer(), "%s is shared", path)
		}
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !a.IsNil() {
			requireDisjoint(t, a.Elem(), b.Elem(), path)
		}
	case reflect.Struct:
		for i := range a.NumField() {
			if a.Type().Field(i).IsExported() {
				requireDisjoint(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
			}
		}
	case reflect.Slice:
		for i := range a.Len() {
			requireDisjoint(t, a.Index(i), b.Index(i), path+"[]")
		}
	case reflect.Map:
		for _, k := range a.MapKeys() {
			requireDisjoint(t, a.MapIndex(k), b.MapIndex(k), path+"["+k.String()+"]")
		}
	}
}
