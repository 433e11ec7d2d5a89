package expr

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// testDoc is a context document shaped like ParametersUtils.getTaskInputV2's.
func testDoc(t testing.TB) map[string]any {
	return decode(t, `{
		"workflow": {
			"input": {
				"count": 3, "price": 9.5, "ok": true, "none": null, "field": "count", "idx": 1,
				"address": {"city": "Oslo", "zip": "0150"},
				"tags": ["a", "b"],
				"items": [{"id": "a", "qty": 1}, {"id": "b", "qty": 4}],
				"nums": [1, 2, 3],
				"raw": "$${raw}"
			},
			"status": "RUNNING", "workflowId": "wf-1", "variables": {"attempt": 2}
		},
		"fetch": {"output": {"body": {"total": 42}}, "status": "COMPLETED"}
	}`)
}

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m))
	return m
}

func TestResolve(t *testing.T) {
	t.Parallel()
	env := func(name string) (string, bool) {
		v, ok := map[string]string{"HOSTNAME": "box-1", "workflow": "from-env"}[name]
		return v, ok
	}
	tests := []struct {
		name string
		in   any
		opts Options
		want any
	}{
		{name: "exact expression keeps a number", in: "${workflow.input.count}", want: 3.0},
		{name: "exact expression keeps a bool", in: "${workflow.input.ok}", want: true},
		{name: "exact expression keeps a map", in: "${workflow.input.address}", want: map[string]any{"city": "Oslo", "zip": "0150"}},
		{name: "exact expression keeps a list", in: "${workflow.input.tags}", want: []any{"a", "b"}},
		{name: "null value", in: "${workflow.input.none}", want: nil},
		{name: "missing path is nil", in: "${workflow.input.nope.deeper}", want: nil},
		{name: "task output by reference name", in: "${fetch.output.body.total}", want: 42.0},
		{name: "workflow fields", in: "${workflow.workflowId}/${workflow.status}", want: "wf-1/RUNNING"},
		{name: "number in text", in: "n=${workflow.input.count}", want: "n=3"},
		{name: "fraction in text", in: "p=${workflow.input.price}", want: "p=9.5"},
		{name: "null in text", in: "x ${workflow.input.none} ${workflow.input.nope}", want: "x null null"},
		{name: "map in text is Java's Map.toString", in: "a=${workflow.input.address}", want: "a={city=Oslo, zip=0150}"},
		{name: "list in text is Java's List.toString", in: "t=${workflow.input.tags}", want: "t=[a, b]"},
		{name: "wildcard result in text is JSON", in: "ids=${workflow.input.items[*].id}", want: `ids=["a","b"]`},
		{name: "filter result is a list", in: "${workflow.input.items[?(@.qty > 1)].id}", want: []any{"b"}},
		{name: "function result", in: "${workflow.input.items.length()}", want: 2},
		{name: "aggregate is a float", in: "${workflow.input.nums.sum()}", want: 6.0},
		{name: "aggregate in text prints as a Java double", in: "sum=${workflow.input.nums.sum()}", want: "sum=6.0"},
		{name: "escape", in: "$${workflow.input.count}", want: "${workflow.input.count}"},
		{name: "escape beside an expression", in: "$${x} ${workflow.input.count}", want: "${x} 3"},
		{name: "escape inside a value in text is undone too", in: "v=${workflow.input.raw}", want: "v=${raw}"},
		{name: "escape inside an exact value stays", in: "${workflow.input.raw}", want: "$${raw}"},
		{name: "nested expression", in: "${workflow.input.${workflow.input.field}}", want: 3.0},
		{name: "nested index", in: "${workflow.input.items[${workflow.input.idx}].id}", want: "b"},
		{name: "blank expression is empty", in: "${}", want: ""},
		{name: "spaces are blank", in: "a${  }b", want: "ab"},
		{name: "unclosed expression stays", in: "${workflow.input.count", want: "${workflow.input.count"},
		{name: "task id", in: "${CPEWF_TASK_ID}", opts: Options{TaskID: "t-1"}, want: "t-1"},
		{name: "task id in text", in: "id=${CPEWF_TASK_ID}", opts: Options{TaskID: "t-1"}, want: "id=t-1"},
		{name: "task id unknown stays", in: "${CPEWF_TASK_ID}", want: "${CPEWF_TASK_ID}"},
		{name: "environment name", in: "on ${HOSTNAME}", opts: Options{Env: env}, want: "on box-1"},
		{name: "environment wins over the document", in: "${workflow}", opts: Options{Env: env}, want: "from-env"},
		{name: "unknown name is a missing path", in: "${NOPE}", opts: Options{Env: env}, want: nil},
		{name: "NETFLIX_ENV unset stays", in: "${NETFLIX_ENV}", want: "${NETFLIX_ENV}"},
		{name: "secret stays for the hand-off", in: "Bearer ${workflow.secrets.TOKEN}", want: "Bearer ${workflow.secrets.TOKEN}"},
		{name: "non-string scalars are untouched", in: []any{3.0, true, nil, json.Number("7")}, want: []any{3.0, true, nil, json.Number("7")}},
		{
			name: "maps and lists are walked",
			in:   map[string]any{"a": []any{"${workflow.input.count}", map[string]any{"b": "${workflow.input.ok}"}}},
			want: map[string]any{"a": []any{3.0, map[string]any{"b": true}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Resolve(map[string]any{"k": tt.in}, testDoc(t), tt.opts)
			require.NoError(t, err)
			require.Equal(t, map[string]any{"k": tt.want}, got)
		})
	}
}

func TestResolveNumberTypes(t *testing.T) {
	t.Parallel()
	doc := map[string]any{
		"i": 3, "i64": int64(4), "f32": float32(1.5), "dbl": json.Number("2.0"), "int": json.Number("7"),
		"big": 1e21, "tiny": 1e-5, "list": []any{1, int64(3), json.Number("5"), 2.5},
	}
	got, err := Resolve(map[string]any{
		"text":     "${i} ${i64} ${f32} ${dbl} ${int} ${big} ${tiny}",
		"filtered": "${list[?(@ > 2)]}",
		"sum":      "${list.sum()}",
	}, doc, Options{})
	require.NoError(t, err)
	require.Equal(t, map[string]any{
		"text":     "3 4 1.5 2.0 7 1.0E21 1.0E-5",
		"filtered": []any{int64(3), json.Number("5"), 2.5},
		"sum":      11.5,
	}, got)
}

func TestResolveSyntaxError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		wantExpr string
	}{
		{in: "${workflow.input.a b}", wantExpr: "${workflow.input.a b}"},
		{in: "x ${workflow.input.}", wantExpr: "${workflow.input.}"},
		{in: "${workflow.input.items[?(@.qty > )]}", wantExpr: "${workflow.input.items[?(@.qty > )]}"},
		{in: "${workflow.input.items[?(@.qty = 1)]}", wantExpr: "${workflow.input.items[?(@.qty = 1)]}"},
		{in: "${workflow.input['a}", wantExpr: "${workflow.input['a}"},
		{in: "${workflow.input.nums.sum(1, 2)}", wantExpr: "${workflow.input.nums.sum(1, 2)}"},
		{in: "${workflow.input.${a b}}", wantExpr: "${a b}"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := Resolve(map[string]any{"k": []any{tt.in}}, testDoc(t), Options{})
			require.Nil(t, got)
			var syntaxErr *SyntaxError
			require.ErrorAs(t, err, &syntaxErr)
			require.Equal(t, tt.wantExpr, syntaxErr.Expr)
			require.Contains(t, err.Error(), `input "k": invalid expression`)
		})
	}
}

func TestResolveCopies(t *testing.T) {
	t.Parallel()
	doc := testDoc(t)
	params := map[string]any{
		"addr": "${workflow.input.address}",
		"list": []any{"${workflow.input.tags}", map[string]any{"x": "${workflow.input.count}"}},
	}
	got, err := Resolve(params, doc, Options{})
	require.NoError(t, err)

	// The input is not changed.
	require.Equal(t, map[string]any{
		"addr": "${workflow.input.address}",
		"list": []any{"${workflow.input.tags}", map[string]any{"x": "${workflow.input.count}"}},
	}, params)

	// Changing the result does not reach the document.
	got["addr"].(map[string]any)["city"] = "Bergen"
	got["list"].([]any)[0].([]any)[0] = "z"
	require.Equal(t, testDoc(t), doc)
}

func TestResolveNilParams(t *testing.T) {
	t.Parallel()
	got, err := Resolve(nil, nil, Options{})
	require.NoError(t, err)
	require.Equal(t, map[string]any{}, got)
}

func TestEval(t *testing.T) {
	t.Parallel()
	doc := testDoc(t)
	got, err := Eval("workflow.input.items[0].id", doc)
	require.NoError(t, err)
	require.Equal(t, "a", got)

	got, err = Eval("workflow.input.missing[0]", doc)
	require.NoError(t, err)
	require.Nil(t, got)

	got, err = Eval("$.workflow.input.nums.avg()", doc)
	require.NoError(t, err)
	require.Equal(t, 2.0, got)

	_, err = Eval("workflow.input[x]", doc)
	var syntaxErr *SyntaxError
	require.ErrorAs(t, err, &syntaxErr)
	require.Equal(t, "workflow.input[x]", syntaxErr.Path)
}
