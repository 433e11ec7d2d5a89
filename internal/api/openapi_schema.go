package api

import (
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

// schemaRegistry turns Go types into OpenAPI 3.0 schemas the way
// encoding/json reads and writes them: struct types become named
// components, fields take their json tag names, and a field that is
// written even when nil (no omitempty or omitzero) is nullable.
type schemaRegistry struct {
	schemas jsonObject              // components/schemas
	names   map[reflect.Type]string // each struct type's component name
	taken   map[string]bool
}

func newSchemaRegistry() *schemaRegistry {
	return &schemaRegistry{schemas: jsonObject{}, names: map[reflect.Type]string{}, taken: map[string]bool{}}
}

// enumValues are the names a string type takes on the wire. Baton refuses
// other names with a 400, and answers only these.
var enumValues = map[reflect.Type][]string{
	reflect.TypeFor[model.TaskStatus]():          names(model.TaskStatuses),
	reflect.TypeFor[model.WorkflowStatus]():      names(model.WorkflowStatuses),
	reflect.TypeFor[model.TaskResultStatus]():    names(model.TaskResultStatuses),
	reflect.TypeFor[model.RetryLogic]():          names(retryLogics),
	reflect.TypeFor[model.TimeoutPolicy]():       names(taskTimeoutPolicies),
	reflect.TypeFor[model.IdempotencyStrategy](): names(idempotencyStrategies),
	reflect.TypeFor[model.ReturnStrategy]():      names(returnStrategies),
}

// requiredFields lists, per type, the fields every answer carries and
// every request must, where the document says more than the json tags.
var requiredFields = map[reflect.Type][]string{
	reflect.TypeFor[model.ErrorResponse](): {"status", "retryable"},
	reflect.TypeFor[model.TaskResult]():    {"workflowInstanceId", "taskId"},
	// validateSchedule: a stored schedule has them too.
	reflect.TypeFor[model.WorkflowSchedule](): {"name", "cronExpression", "startWorkflowRequest"},
	// validateEventHandler: a stored handler has them too.
	reflect.TypeFor[model.EventHandler](): {"name", "event", "actions"},
	reflect.TypeFor[model.EventAction]():  {"action"},
}

// fieldConstraints add, per type and field, what the API checks beyond
// the field's JSON type (checkTaskResult, checkStartRequest).
var fieldConstraints = map[reflect.Type]map[string]jsonObject{
	reflect.TypeFor[model.TaskResult](): {
		"workflowInstanceId": {"minLength": 1},
		"taskId":             {"minLength": 1},
	},
	reflect.TypeFor[model.StartWorkflowRequest](): {
		"name":     {"minLength": 1},
		"priority": {"minimum": 0, "maximum": 99},
	},
	reflect.TypeFor[model.WorkflowDef](): {
		"name":  {"minLength": 1},
		"tasks": {"minItems": 1},
	},
	reflect.TypeFor[model.WorkflowSchedule](): {
		"name":           {"minLength": 1, "maxLength": engine.MaxScheduleNameLen},
		"cronExpression": {"minLength": 1},
	},
	reflect.TypeFor[model.EventHandler](): {
		"name":    {"minLength": 1},
		"event":   {"pattern": "^conductor:.", "description": "conductor:<queue>: the only event queues Baton has."},
		"actions": {"minItems": 1},
	},
	reflect.TypeFor[model.EventAction](): {
		"action": {"enum": []string{model.ActionStartWorkflow, model.ActionCompleteTask, model.ActionFailTask,
			model.ActionTerminateWorkflow, model.ActionUpdateWorkflowVariables}},
	},
	reflect.TypeFor[authErrorResponse](): {
		"error": {"enum": []string{"EXPIRED_TOKEN", "INVALID_TOKEN"}},
	},
}

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// schema is the schema of a value of type t.
func (r *schemaRegistry) schema(t reflect.Type) jsonObject {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		return r.ref(t)
	case reflect.Map:
		return jsonObject{"type": "object", "additionalProperties": r.schema(t.Elem())}
	case reflect.Slice, reflect.Array:
		return jsonObject{"type": "array", "items": r.schema(t.Elem())}
	case reflect.Interface:
		return jsonObject{} // any JSON value
	case reflect.String:
		s := jsonObject{"type": "string"}
		if enum, ok := enumValues[t]; ok {
			s["enum"] = enum
		}
		return s
	case reflect.Bool:
		return jsonObject{"type": "boolean"}
	case reflect.Int64, reflect.Uint64:
		return jsonObject{"type": "integer", "format": "int64"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return jsonObject{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return jsonObject{"type": "number"}
	default:
		panic("api: no OpenAPI schema for Go type " + t.String())
	}
}

// ref registers the struct type t as a component and refers to it.
func (r *schemaRegistry) ref(t reflect.Type) jsonObject {
	name, ok := r.names[t]
	if !ok {
		name = r.nameOf(t)
		r.names[t] = name
		r.schemas[name] = jsonObject{} // placeholder: t may refer to itself
		r.schemas[name] = r.object(t)
	}
	return jsonObject{"$ref": "#/components/schemas/" + name}
}

// object is the schema of the struct type t.
func (r *schemaRegistry) object(t reflect.Type) jsonObject {
	props := jsonObject{}
	r.fields(t, props)
	s := jsonObject{"type": "object", "properties": props}
	if req := requiredFields[t]; len(req) > 0 {
		s["required"] = req
	}
	return s
}

// fields adds t's JSON fields to props, embedded structs' fields included.
func (r *schemaRegistry) fields(t reflect.Type, props jsonObject) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			r.fields(f.Type, props)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := r.schema(f.Type)
		omitted := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		switch f.Type.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice:
			if omitted {
				break
			}
			if _, isRef := s["$ref"]; isRef {
				s = jsonObject{"allOf": []jsonObject{s}, "nullable": true}
			} else {
				s["nullable"] = true
			}
		}
		for k, v := range fieldConstraints[t][name] {
			s[k] = v
		}
		props[name] = s
	}
}

// nameOf is a component name for t: its Go name with an upper-case first
// letter, type arguments spelt out (SearchResult[*model.Workflow] is
// SearchResultOfWorkflow), unique in the document.
func (r *schemaRegistry) nameOf(t reflect.Type) string {
	name := t.Name()
	if base, args, generic := strings.Cut(name, "["); generic {
		var parts []string
		for _, a := range strings.Split(strings.TrimSuffix(args, "]"), ",") {
			a = a[strings.LastIndex(a, ".")+1:]
			parts = append(parts, upperFirst(strings.TrimLeft(a, "*[]")))
		}
		name = base + "Of" + strings.Join(parts, "And")
	}
	name = upperFirst(name)
	unique := name
	for n := 2; r.taken[unique]; n++ {
		unique = name + strconv.Itoa(n)
	}
	r.taken[unique] = true
	return unique
}

func upperFirst(s string) string {
	rs := []rune(s)
	if len(rs) > 0 {
		rs[0] = unicode.ToUpper(rs[0])
	}
	return string(rs)
}
