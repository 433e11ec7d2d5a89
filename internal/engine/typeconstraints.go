package engine

import (
	"fmt"

	"github.com/batonhq/baton/model"
)

// typeConstraints holds WorkflowTaskTypeConstraint's structural rules for
// task types that have no registered kind yet, so that Baton refuses the
// definitions Conductor refuses even before it can run them. A kind's own
// validate() replaces these rules once the type is registered (SWITCH and
// DECISION use the rules below from their kinds).
var typeConstraints = map[string]func(wt *model.WorkflowTask) []string{}

// paramRequired is Conductor's PARAM_REQUIRED_STRING_FORMAT.
func paramRequired(field, typ, name string) string {
	return fmt.Sprintf("%s field is required for taskType: %s taskName: %s", field, typ, name)
}

// decisionCasesRules: decisionCases must be present and not empty. A JSON
// body that leaves them out reaches the engine as nil; the HTTP layer
// fills an empty map (WorkflowTask's default), which fails the second rule.
func decisionCasesRules(wt *model.WorkflowTask, typ string) []string {
	switch {
	case wt.DecisionCases == nil:
		return []string{paramRequired("decisionCases", typ, wt.Name)}
	case len(wt.DecisionCases) == 0:
		return []string{fmt.Sprintf("decisionCases should have atleast one task for taskType: %s taskName: %s", typ, wt.Name)}
	}
	return nil
}

// decisionConstraints is isDecisionTaskValid.
func decisionConstraints(wt *model.WorkflowTask) []string {
	var msgs []string
	if wt.CaseValueParam == "" && wt.CaseExpression == "" {
		msgs = append(msgs, paramRequired("caseValueParam or caseExpression", model.TaskTypeDecision, wt.Name))
	}
	return append(msgs, decisionCasesRules(wt, model.TaskTypeDecision)...)
}

// switchConstraints is isSwitchTaskValid.
func switchConstraints(wt *model.WorkflowTask) []string {
	var msgs []string
	switch {
	case wt.EvaluatorType == "":
		msgs = append(msgs, paramRequired("evaluatorType", model.TaskTypeSwitch, wt.Name))
	case wt.Expression == "":
		msgs = append(msgs, paramRequired("expression", model.TaskTypeSwitch, wt.Name))
	}
	return append(msgs, decisionCasesRules(wt, model.TaskTypeSwitch)...)
}
