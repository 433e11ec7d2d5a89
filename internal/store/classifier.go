package store

import (
	"strings"

	"github.com/batonhq/baton/model"
)

// Classifier is the classifier of a workflow definition, as Conductor's
// WorkflowClassifier.classifierOf reads its metadata: an explicit
// "classifier", else "agent" for agent definitions, else "workflow".
// WorkflowQuery.Classifiers matches it; search answers report it.
func Classifier(def *model.WorkflowDef) string {
	if def == nil {
		return "workflow"
	}
	return ClassifierOf(def.Metadata)
}

// ClassifierOf is Classifier on a definition's metadata.
func ClassifierOf(meta map[string]any) string {
	if c, ok := meta["classifier"].(string); ok && strings.TrimSpace(c) != "" {
		return c
	}
	if meta["agent_sdk"] != nil || meta["agentDef"] != nil {
		return "agent"
	}
	return "workflow"
}
