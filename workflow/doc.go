// Package workflow defines Conductor workflows in Go, with the names and
// signatures of the official Go SDK's builder (conductor-go v1.5.4,
// sdk/workflow), so a program written for it compiles with only its import
// paths and client construction changed:
//
//	api := client.NewAPIClient(settings.NewHttpSettings("http://localhost:8080/api"))
//	wf := workflow.NewConductorWorkflow(executor.NewWorkflowExecutor(api)).
//		Name("greetings").Version(1).
//		Add(workflow.NewSimpleTask("greet", "greet_ref").Input("name", "${workflow.input.name}")).
//		OutputParameters(map[string]any{"greeting": "${greet_ref.output.greeting}"})
//	if err := wf.Register(true); err != nil { ... }
//
// There is a builder for every task type Baton's server runs: SIMPLE,
// SWITCH, FORK_JOIN (with its JOIN), FORK_JOIN_DYNAMIC, JOIN, DO_WHILE,
// DYNAMIC, SUB_WORKFLOW (by name or inline), START_WORKFLOW, WAIT, HUMAN,
// TERMINATE, SET_VARIABLE, INLINE, JSON_JQ_TRANSFORM and HTTP. EVENT,
// KAFKA_PUBLISH and Orkes' UPDATE_TASK builders exist so programs compile;
// Baton's server refuses those types at registration.
//
// # Checked before sending
//
// ConductorWorkflow.Validate reports builder mistakes as one error naming
// each faulty task: empty names, duplicate reference names, a JOIN on
// references the workflow does not have, a SWITCH without cases, a
// DO_WHILE without tasks, an HTTP task without a URI. Register, the Start
// methods and the Execute methods call it and send nothing when it fails.
//
// # Contexts
//
// Every method that does I/O has a twin taking a context.Context first,
// named with the suffix WithContext as in conductor-go
// (RegisterWithContext, StartWorkflowWithInputWithContext, ...). The plain
// form uses context.Background().
//
// # Where Baton differs from conductor-go
//
// The JSON of ToWorkflowDef is what conductor-go sends for the same
// program (compat/wfbuilder checks it builder by builder), except where
// conductor-go's definition does not do what its name says:
//
//   - NewLoopTask loops the given number of times (conductor-go's
//     condition compares the wrong operands and stops after one pass).
//   - A FORK_JOIN branch keeps every task a nested builder produces (a
//     fork inside a branch keeps its JOIN).
//   - NewDynamicForkWithJoinTask uses the JOIN it is given.
//   - HttpInput sends connectionTimeOut (Conductor's name) and one header
//     value as a string, several joined with ", ".
//   - NewWaitForDurationTask rounds a sub-second duration up to whole
//     seconds, which Conductor's duration grammar requires.
//   - Restartable(false) is sent (conductor-go omits false, which Conductor
//     reads as true); an unset version is sent as 1, Conductor's default.
//   - RetryTask is "RETRY" (conductor-go sends "ALERTRETRY_ONLY", which
//     Conductor rejects).
//   - CacheConfig returns its own builder type and applies to every task.
package workflow
