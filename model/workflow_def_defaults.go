package model

// Jackson builds request objects with their Java constructors, so a field a
// body leaves out keeps the Java default. Decoding into DecodableWorkflowDef
// and then calling FillTaskDefaults on its tasks gives a definition what
// Conductor would hold (WorkflowDef.java, WorkflowTask.java): the API decodes
// request bodies this way, and so does the engine for a definition embedded
// in a task's input (START_WORKFLOW, an inline SUB_WORKFLOW).

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
