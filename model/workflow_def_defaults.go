package model

// Jackson builds request objects with their Java constructors, so a field a
// body leaves out keeps the Java default. Decoding into DecodableWorkflowDef
// and then calling FillTaskDefaults gives a definition what Conductor would
// hold (WorkflowDef.java, WorkflowTask.java): the API decodes request bodies
// this way, and so does the engine for a definition embedded in a task's
// input (START_WORKFLOW, an inline SUB_WORKFLOW).

// DecodableWorkflowDef returns a WorkflowDef holding WorkflowDef.java's field
// defaults (version 1, schema version 2, restartable, ALERT_ONLY, empty
// collections), to decode a JSON definition into.
func DecodableWorkflowDef() *WorkflowDef {
	d := NewWorkflowDef("")
	d.Tasks = nil
	d.InputParameters = []string{}
	d.OutputParameters = map[string]any{}
	d.Variables = map[string]any{}
	d.InputTemplate = map[string]any{}
	d.Metadata = map[string]any{}
	d.MaskedFields = []string{}
	return d
}

// FillTaskDefaults gives every task of a definition, however nested,
// WorkflowTask.java's defaults: type SIMPLE and empty collections.
func FillTaskDefaults(tasks []WorkflowTask) {
	for i := range tasks {
		t := &tasks[i]
		if t.Type == "" {
			t.Type = TaskTypeSimple
		}
		t.InputParameters = emptyMap(t.InputParameters)
		if t.DecisionCases == nil {
			t.DecisionCases = map[string][]WorkflowTask{}
		}
		for k := range t.DecisionCases {
			FillTaskDefaults(t.DecisionCases[k])
		}
		t.DefaultCase = emptySlice(t.DefaultCase)
		FillTaskDefaults(t.DefaultCase)
		t.ForkTasks = emptySlice(t.ForkTasks)
		for _, fork := range t.ForkTasks {
			FillTaskDefaults(fork)
		}
		t.LoopOver = emptySlice(t.LoopOver)
		FillTaskDefaults(t.LoopOver)
		t.JoinOn = emptySlice(t.JoinOn)
		t.DefaultExclusiveJoinTask = emptySlice(t.DefaultExclusiveJoinTask)
		t.OnStateChange = emptyMap(t.OnStateChange)
		t.Metadata = emptyMap(t.Metadata)
	}
}

func emptyMap[M ~map[K]V, K comparable, V any](m M) M {
	if m == nil {
		return M{}
	}
	return m
}

func emptySlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
