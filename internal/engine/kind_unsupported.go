package engine

import (
	"fmt"

	"github.com/batonhq/baton/model"
)

// unsupportedTypes are Conductor task types that need systems Baton does
// not have (Kafka, a JDBC driver, LLM and MCP providers, agents). A
// definition that uses one is refused when it is registered or started, so
// no workflow waits forever for a task nothing runs. Other unknown types
// stay Conductor's USER_DEFINED worker tasks.
var unsupportedTypes = map[string]string{
	model.TaskTypeKafkaPublish: "it needs a Kafka producer",
	"JDBC":                     "it needs a JDBC database connection",
	"LLM_TEXT_COMPLETE":        "it needs an LLM provider",
	"LLM_CHAT_COMPLETE":        "it needs an LLM provider",
	"LLM_INDEX_TEXT":           "it needs an LLM provider and a vector database",
	"LLM_SEARCH_INDEX":         "it needs an LLM provider and a vector database",
	"LLM_GENERATE_EMBEDDINGS":  "it needs an LLM provider",
	"LLM_STORE_EMBEDDINGS":     "it needs a vector database",
	"LLM_GET_EMBEDDINGS":       "it needs a vector database",
	"LLM_SEARCH_EMBEDDINGS":    "it needs a vector database",
	"LIST_MCP_TOOLS":           "it needs an MCP server connection",
	"CALL_MCP_TOOL":            "it needs an MCP server connection",
	"AGENT":                    "it needs an agent runtime",
	"GET_AGENT_CARD":           "it needs an agent runtime",
	"CANCEL_AGENT":             "it needs an agent runtime",
}

// unsupported returns why Baton cannot run a workflow task, if it cannot:
// its type, or a python evaluator (INLINE's evaluatorType input, SWITCH's
// evaluatorType), which needs Conductor's GraalPy.
func unsupported(wt *model.WorkflowTask) []string {
	typ := wt.TaskType()
	if why, ok := unsupportedTypes[typ]; ok {
		return []string{fmt.Sprintf("task type %s (taskReferenceName: %s) is not supported by Baton: %s", typ, wt.TaskReferenceName, why)}
	}
	python := false
	switch typ {
	case model.TaskTypeInline:
		python = wt.InputParameters["evaluatorType"] == "python"
	case model.TaskTypeSwitch:
		python = wt.EvaluatorType == "python"
	}
	if python {
		return []string{fmt.Sprintf("evaluatorType python of task type %s (taskReferenceName: %s) is not supported by Baton: use javascript, graaljs or value-param",
			typ, wt.TaskReferenceName)}
	}
	return nil
}
