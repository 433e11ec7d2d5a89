package workflow

// InlineTask is an INLINE task: the server evaluates a JavaScript
// expression over $ (the task's input); its value is the output "result".
type InlineTask struct {
	Task
}

// Evaluators of an INLINE task.
const (
	JavascriptEvaluator = "javascript"
	graalJS             = "graaljs"
)

// NewInlineTask returns an INLINE task named and referenced as name,
// evaluating script with the javascript evaluator.
func NewInlineTask(name string, script string) *InlineTask {
	return &InlineTask{newTask(name, name, INLINE, map[string]any{"evaluatorType": JavascriptEvaluator, "expression": script})}
}

// NewInlineGraalJSTask is NewInlineTask with the graaljs evaluator
// (ECMAScript 2021 on Conductor; the same interpreter on Baton).
func NewInlineGraalJSTask(name string, script string) *InlineTask {
	return &InlineTask{newTask(name, name, INLINE, map[string]any{"evaluatorType": graalJS, "expression": script})}
}

// JQTask is a JSON_JQ_TRANSFORM task: the server runs a jq query over the
// task's input; the output "result" is its first value, "resultList" all.
type JQTask struct {
	Task
}

// NewJQTask returns a JSON_JQ_TRANSFORM task named and referenced as name,
// running the jq query script.
func NewJQTask(name string, script string) *JQTask {
	return &JQTask{newTask(name, name, JSON_JQ_TRANSFORM, map[string]any{"queryExpression": script})}
}
