package api

import (
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/batonhq/baton/internal/expr"
	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/model"
)

// workflowSummary is Conductor's WorkflowSummary as its search answers it
// (C/run/WorkflowSummary.java, field order and null handling as Jackson
// emits them: failedReferenceTaskNames, failedTaskNames, taskToDomain and
// parentWorkflowId are never null, and the getters getInputSize and
// getOutputSize add two fields). model.WorkflowSummary is the client's
// reading of it; this is the exact writing.
type workflowSummary struct {
	WorkflowType                     string               `json:"workflowType,omitempty"`
	Version                          int                  `json:"version"`
	WorkflowId                       string               `json:"workflowId,omitempty"`
	CorrelationId                    string               `json:"correlationId,omitempty"`
	StartTime                        string               `json:"startTime,omitempty"`
	UpdateTime                       string               `json:"updateTime,omitempty"`
	EndTime                          string               `json:"endTime,omitempty"`
	Status                           model.WorkflowStatus `json:"status,omitempty"`
	Input                            string               `json:"input,omitempty"`
	Output                           string               `json:"output,omitempty"`
	ReasonForIncompletion            string               `json:"reasonForIncompletion,omitempty"`
	ExecutionTime                    int64                `json:"executionTime"`
	Event                            string               `json:"event,omitempty"`
	FailedReferenceTaskNames         string               `json:"failedReferenceTaskNames"`
	ExternalInputPayloadStoragePath  string               `json:"externalInputPayloadStoragePath,omitempty"`
	ExternalOutputPayloadStoragePath string               `json:"externalOutputPayloadStoragePath,omitempty"`
	Priority                         int                  `json:"priority"`
	FailedTaskNames                  []string             `json:"failedTaskNames"`
	CreatedBy                        string               `json:"createdBy,omitempty"`
	TaskToDomain                     map[string]string    `json:"taskToDomain"`
	IdempotencyKey                   string               `json:"idempotencyKey,omitempty"`
	ParentWorkflowId                 string               `json:"parentWorkflowId"`
	Classifier                       string               `json:"classifier,omitempty"`
	InputSize                        int64                `json:"inputSize"`
	OutputSize                       int64                `json:"outputSize"`
}

// summarizeWorkflow is WorkflowSummary's constructor from a Workflow.
func summarizeWorkflow(wf *model.Workflow) workflowSummary {
	s := workflowSummary{
		WorkflowType: wf.WorkflowName, Version: wf.WorkflowVersion, WorkflowId: wf.WorkflowId,
		Priority: wf.Priority, CorrelationId: wf.CorrelationId, IdempotencyKey: wf.IdempotencyKey,
		Status: wf.Status, ReasonForIncompletion: wf.ReasonForIncompletion, Event: wf.Event,
		FailedReferenceTaskNames:         strings.Join(wf.FailedReferenceTaskNames, ","),
		FailedTaskNames:                  slices.Sorted(slices.Values(wf.FailedTaskNames)),
		ExternalInputPayloadStoragePath:  strings.TrimSpace(wf.ExternalInputPayloadStoragePath),
		ExternalOutputPayloadStoragePath: strings.TrimSpace(wf.ExternalOutputPayloadStoragePath),
		TaskToDomain:                     wf.TaskToDomain,
		CreatedBy:                        wf.CreatedBy,
		ParentWorkflowId:                 wf.ParentWorkflowId,
		Classifier:                       "workflow",
		Input:                            javaString(orEmpty(wf.Input)),
		Output:                           javaString(orEmpty(wf.Output)),
	}
	if def := wf.WorkflowDefinition; def != nil {
		if s.WorkflowType == "" {
			s.WorkflowType = def.Name
		}
		if s.Version == 0 {
			s.Version = def.Version
		}
		s.Classifier = classifierOf(def.Metadata)
	}
	if s.FailedTaskNames == nil {
		s.FailedTaskNames = []string{}
	}
	if s.TaskToDomain == nil {
		s.TaskToDomain = map[string]string{}
	}
	start := wf.StartTime
	if start == 0 {
		start = wf.CreateTime
	}
	if wf.CreateTime > 0 {
		s.StartTime = summaryTime(wf.CreateTime)
	}
	if wf.UpdateTime > 0 {
		s.UpdateTime = summaryTime(wf.UpdateTime)
	}
	if wf.EndTime > 0 {
		s.EndTime = summaryTime(wf.EndTime)
		s.ExecutionTime = wf.EndTime - start
	}
	s.InputSize, s.OutputSize = javaLength(s.Input), javaLength(s.Output)
	return s
}

// classifierOf is WorkflowClassifier.classifierOf: "agent" for agent
// definitions, an explicit metadata classifier, else "workflow". The store
// filters searches by the same rule.
func classifierOf(meta map[string]any) string { return store.ClassifierOf(meta) }

// taskSummary is TaskSummary's constructor from a Task (C/run/TaskSummary.java):
// every time is formatted, even an unset one (as 1970-01-01T00:00:00.000Z).
func taskSummary(t *model.WorkerTask) model.TaskSummary {
	s := model.TaskSummary{
		TaskId: t.TaskId, TaskDefName: t.TaskDefName, TaskType: t.TaskType, WorkflowId: t.WorkflowInstanceId,
		WorkflowType: t.WorkflowType, WorkflowPriority: t.WorkflowPriority, CorrelationId: t.CorrelationId,
		ScheduledTime: summaryTime(t.ScheduledTime), StartTime: summaryTime(t.StartTime),
		UpdateTime: summaryTime(t.UpdateTime), EndTime: summaryTime(t.EndTime),
		Status: t.Status, ReasonForIncompletion: t.ReasonForIncompletion, QueueWaitTime: t.QueueWaitTime,
		Domain: t.Domain, Input: javaString(orEmpty(t.InputData)), Output: javaString(orEmpty(t.OutputData)),
		ExternalInputPayloadStoragePath:  strings.TrimSpace(t.ExternalInputPayloadStoragePath),
		ExternalOutputPayloadStoragePath: strings.TrimSpace(t.ExternalOutputPayloadStoragePath),
	}
	if t.EndTime > 0 {
		s.ExecutionTime = t.EndTime - t.StartTime
	}
	return s
}

// summaryTime formats epoch millis as yyyy-MM-dd'T'HH:mm:ss.SSS'Z' in GMT.
func summaryTime(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// javaLength is Java's String.length(): UTF-16 code units.
func javaLength(s string) int64 {
	return int64(len(utf16.Encode([]rune(s))))
}

// javaString renders a JSON value as Java's toString does for what Jackson
// decodes it into (SummaryUtil.serializeInputOutput with JSON serialization
// off, Conductor's default): the same rendering ${...} uses in text.
func javaString(v any) string { return expr.JavaString(v) }
