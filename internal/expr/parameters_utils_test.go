package expr

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// These tests port Conductor's ParametersUtilsTest
// (core/src/test/java/com/netflix/conductor/core/utils/ParametersUtilsTest.java):
// same inputs, same expected outputs. Its getWorkflowInput*, workflow.env and
// substituteSecrets tests cover code outside this package.

// conductorDoc is the map most of the Java tests resolve against.
func conductorDoc(t testing.TB) map[string]any {
	return decode(t, `{"name": "conductor", "version": 2,
		"externalId": "{\"taskRefName\":\"t001\",\"workflowId\":\"w002\"}"}`)
}

func TestParametersUtilsReplace(t *testing.T) {
	t.Parallel()
	// testReplace
	got, err := Resolve(map[string]any{
		"k1": "${$.externalId}",
		"k4": "${name}",
		"k5": "${version}",
	}, conductorDoc(t), Options{})
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"k1": `{"taskRefName":"t001","workflowId":"w002"}`,
		"k4": "conductor",
		"k5": 2.0,
	}, got)
}

func TestParametersUtilsReplaceWithArrayExpand(t *testing.T) {
	t.Parallel()
	// testReplaceWithArrayExpand: the document is a list, which only Eval
	// takes; JsonUtils.expand has already turned externalId into JSON.
	doc := []any{decode(t, `{"externalId": [{"taskRefName": "t001", "workflowId": "w002"}], "name": "conductor", "version": 2}`)}
	for path, want := range map[string]any{
		"$[0].externalId[0].taskRefName": "t001",
		"__json_externalId.taskRefName":  nil,
		"$[0].name":                      "conductor",
		"$[0].version":                   2.0,
	} {
		got, err := Eval(path, doc)
		require.NoError(t, err, path)
		require.Equal(t, want, got, path)
	}
}

func TestParametersUtilsReplaceWithMapExpand(t *testing.T) {
	t.Parallel()
	// testReplaceWithMapExpand
	doc := decode(t, `{"externalId": {"taskRefName": "t001", "workflowId": "w002"}, "name": "conductor", "version": 2}`)
	got, err := Resolve(map[string]any{
		"k1": "${$.externalId}",
		"k2": "${externalId.taskRefName}",
		"k4": "${name}",
		"k5": "${version}",
	}, doc, Options{})
	require.NoError(t, err)
	require.Equal(t, "t001", got["k2"])
	require.Nil(t, got["k3"])
	require.Equal(t, "conductor", got["k4"])
	require.Equal(t, 2.0, got["k5"])
}

func TestParametersUtilsReplaceConcurrent(t *testing.T) {
	t.Parallel()
	// testReplaceConcurrent: each goroutine resolves against its own document.
	params := map[string]any{"k1": "${payload.someId}", "k2": "${name}"}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for g := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				id := fmt.Sprintf("test-%d-%d", g, i)
				doc := map[string]any{
					"payload": map[string]any{"event": "conductor:TEST_EVENT", "someId": id},
					"name":    "conductor",
					"version": 2.0,
				}
				got, err := Resolve(params, doc, Options{})
				if err == nil && (got["k1"] != id || got["k2"] != "conductor" || got["k3"] != nil) {
					err = fmt.Errorf("got %v for %s", got, id)
				}
				if err != nil {
					errs[g] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
}

func TestParametersUtilsReplaceInputWithMapAndList(t *testing.T) {
	t.Parallel()
	// testReplaceInputWithMapAndList
	input := map[string]any{
		"k1":   "${$.externalId}",
		"k2":   "${name}",
		"k3":   "${version}",
		"k4":   "${}",
		"k5":   "${    }",
		"map":  map[string]any{"name": "${name}", "version": "${version}"},
		"list": []any{"${name}", "${version}"},
	}
	got, err := Resolve(input, conductorDoc(t), Options{})
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"k1":   `{"taskRefName":"t001","workflowId":"w002"}`,
		"k2":   "conductor",
		"k3":   2.0,
		"k4":   "",
		"k5":   "",
		"map":  map[string]any{"name": "conductor", "version": 2.0},
		"list": []any{"conductor", 2.0},
	}, got)
	// The input map is not mutated.
	require.Equal(t, "${$.externalId}", input["k1"])
	require.Equal(t, map[string]any{"name": "${name}", "version": "${version}"}, input["map"])
	require.Equal(t, []any{"${name}", "${version}"}, input["list"])
}

func TestParametersUtilsNestedPathExpressions(t *testing.T) {
	t.Parallel()
	// testNestedPathExpressions
	doc := decode(t, `{"name": "conductor", "index": 1, "mapValue": "a", "recordIds": [1, 2, 3],
		"map": {"a": [1, 2, 3], "b": [2, 4, 5], "c": [3, 7, 8]}}`)
	got, err := Resolve(map[string]any{
		"k1": "${recordIds[${index}]}",
		"k2": "${map.${mapValue}[${index}]}",
		"k3": "${map.b[${map.${mapValue}[${index}]}]}",
	}, doc, Options{})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"k1": 2.0, "k2": 2.0, "k3": 5.0}, got)
}

func TestParametersUtilsReplaceWithLineTerminators(t *testing.T) {
	t.Parallel()
	// testReplaceWithLineTerminators
	got, err := Resolve(map[string]any{
		"k1": "Name: ${name}; Version: ${version};",
		"k2": "Name: ${name};\nVersion: ${version};",
		"k3": "Name: ${name};\rVersion: ${version};",
		"k4": "Name: ${name};\r\nVersion: ${version};",
	}, conductorDoc(t), Options{})
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"k1": "Name: conductor; Version: 2;",
		"k2": "Name: conductor;\nVersion: 2;",
		"k3": "Name: conductor;\rVersion: 2;",
		"k4": "Name: conductor;\r\nVersion: 2;",
	}, got)
}

func TestParametersUtilsReplaceWithEscapedTags(t *testing.T) {
	t.Parallel()
	// testReplaceWithEscapedTags
	doc := decode(t, `{"someString": "conductor", "someNumber": 2}`)
	input := map[string]any{
		"k1":   "${$.someString} $${$.someNumber}${$.someNumber} ${$.someNumber}$${$.someString}",
		"k2":   "$${$.someString}afterText",
		"k3":   "beforeText$${$.someString}",
		"k4":   "$${$.someString} afterText",
		"k5":   "beforeText $${$.someString}",
		"map":  map[string]any{"a": "${someString}", "b": "${someNumber}", "c": "$${someString} ${someNumber}"},
		"list": []any{"${someString}", "${someNumber}", "${someString} $${someNumber}"},
	}
	got, err := Resolve(input, doc, Options{})
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"k1":   "conductor ${$.someNumber}2 2${$.someString}",
		"k2":   "${$.someString}afterText",
		"k3":   "beforeText${$.someString}",
		"k4":   "${$.someString} afterText",
		"k5":   "beforeText ${$.someString}",
		"map":  map[string]any{"a": "conductor", "b": 2.0, "c": "${someString} 2"},
		"list": []any{"conductor", 2.0, "conductor ${someNumber}"},
	}, got)
	// The input is not mutated.
	require.Equal(t, "$${someString} ${someNumber}", input["map"].(map[string]any)["c"])
	require.Equal(t, "${someString} $${someNumber}", input["list"].([]any)[2])
}

func TestParametersUtilsSecretsLeftLiteral(t *testing.T) {
	t.Parallel()
	// testWorkflowSecretsLeftLiteralDuringNormalResolution
	got, err := Resolve(map[string]any{"pwd": "${workflow.secrets.DB_PASSWORD}"}, map[string]any{}, Options{TaskID: "t1"})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"pwd": "${workflow.secrets.DB_PASSWORD}"}, got)
}
