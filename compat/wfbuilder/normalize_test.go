package wfbuilder

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Conductor's defaults for fields a definition leaves out (WorkflowDef.java
// and TaskDef.java field initialisers; the same values model.NewWorkflowDef
// and model.NewTaskDef use). A field left out and a field sent with its
// default are the same definition to the server.
var (
	workflowDefDefaults = map[string]any{
		"version": 1.0, "schemaVersion": 2.0, "restartable": true, "timeoutPolicy": "ALERT_ONLY", "enforceSchema": true,
	}
	taskDefDefaults = map[string]any{
		"retryCount": 3.0, "timeoutPolicy": "TIME_OUT_WF", "retryLogic": "FIXED", "retryDelaySeconds": 60.0,
		"responseTimeoutSeconds": 3600.0, "rateLimitFrequencyInSeconds": 1.0, "backoffScaleFactor": 1.0,
		"taskStatusListenerEnabled": true,
	}
	// orkesOnly are fields conductor-go sends that Conductor OSS and
	// Baton's model do not have.
	orkesOnly = []string{"overwriteTags", "tags"}
)

// canonical decodes a definition's JSON and rewrites it as the server
// reads it: defaults filled in, then fields holding a zero value dropped
// (Baton's model writes some zero fields, as Conductor's server does;
// conductor-go's leaves most out). Values inside inputParameters and
// other free-form maps are kept as they are.
func canonical(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	workflowDef(m)
	return m, nil
}

func workflowDef(m map[string]any) {
	fill(m, workflowDefDefaults)
	for _, k := range orkesOnly {
		delete(m, k)
	}
	for _, t := range list(m["tasks"]) {
		workflowTask(t)
	}
	dropZeros(m)
}

func workflowTask(m map[string]any) {
	for _, t := range list(m["defaultCase"]) {
		workflowTask(t)
	}
	for _, t := range list(m["loopOver"]) {
		workflowTask(t)
	}
	if cases, ok := m["decisionCases"].(map[string]any); ok {
		for _, c := range cases {
			for _, t := range list(c) {
				workflowTask(t)
			}
		}
	}
	if branches, ok := m["forkTasks"].([]any); ok {
		for _, b := range branches {
			for _, t := range list(b) {
				workflowTask(t)
			}
		}
	}
	if p, ok := m["subWorkflowParam"].(map[string]any); ok {
		if d, ok := p["workflowDefinition"].(map[string]any); ok {
			workflowDef(d)
		}
		dropZeros(p)
	}
	if d, ok := m["taskDefinition"].(map[string]any); ok {
		fill(d, taskDefDefaults)
		for _, k := range orkesOnly {
			delete(d, k)
		}
		dropZeros(d)
	}
	if c, ok := m["cacheConfig"].(map[string]any); ok {
		dropZeros(c)
	}
	dropZeros(m)
}

func list(v any) []map[string]any {
	var out []map[string]any
	s, _ := v.([]any)
	for _, e := range s {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func fill(m, defaults map[string]any) {
	for k, v := range defaults {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
}

// dropZeros removes m's fields holding a zero value (an empty map or list
// included); it does not look inside the values it keeps.
func dropZeros(m map[string]any) {
	for k, v := range m {
		if isZero(v) {
			delete(m, k)
		}
	}
}

func isZero(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// diff returns the paths where a and b differ, sorted.
func diff(a, b any) []string {
	var out []string
	walk("", a, b, &out)
	slices.Sort(out)
	return out
}

func walk(path string, a, b any, out *[]string) {
	ma, aok := a.(map[string]any)
	mb, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range ma {
			keys[k] = true
		}
		for k := range mb {
			keys[k] = true
		}
		for k := range keys {
			walk(strings.TrimPrefix(path+"."+k, "."), ma[k], mb[k], out)
		}
		return
	}
	la, aok := a.([]any)
	lb, bok := b.([]any)
	if aok && bok && len(la) == len(lb) {
		for i := range la {
			walk(fmt.Sprintf("%s[%d]", path, i), la[i], lb[i], out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, path)
	}
}
