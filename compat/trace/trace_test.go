package trace

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func generic(t *testing.T, s string) map[string]any {
	t.Helper()
	m, err := decodeGeneric([]byte(s))
	require.NoError(t, err)
	return m
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	const wf = "0b8f0a52-2a6e-4b43-9d43-1d2f7f3a4c11"
	const task = "5d1c7e36-8f5e-4a0c-9a51-7c5b9a8a2f20"
	in := generic(t, `{"steps":[
	  {"kind":"call","response":"`+wf+`"},
	  {"kind":"call","args":["`+wf+`"],"response":{"workflowId":"`+wf+`","createTime":1795805983110,"endTime":0,
	    "startTime":"2026-01-01T00:00:00.000Z","queueWaitTime":12,"executed":true,"instance":"vm",
	    "reasonForIncompletion":"Task `+task+` failed","failedTaskNames":["b","a"],
	    "name":"cxabc_s_wf","message":"Task timed out after 3 seconds. Timeout configured as 2 seconds",
	    "tasks":[{"taskId":"`+task+`","retriedTaskId":"legacy-id-1"}]}}]}`)
	n := Normalizer{Prefix: "cxabc_s_", Kinds: map[string]string{wf: IDWorkflow}}
	out, _ := n.Normalize(in).(map[string]any)
	b, err := json.Marshal(out)
	require.NoError(t, err)
	want := `{"steps":[{"kind":"call","response":"\u003cwf1\u003e"},{"args":["\u003cwf1\u003e"],"kind":"call","response":{` +
		`"createTime":"\u003ctime\u003e","endTime":0,"executed":"\u003cracy\u003e","failedTaskNames":["a","b"],"instance":"\u003chost\u003e",` +
		`"message":"Task timed out after \u003cn\u003e seconds. Timeout configured as 2 seconds","name":"wf","queueWaitTime":"\u003cduration\u003e",` +
		`"reasonForIncompletion":"Task \u003ctask1\u003e failed","startTime":"\u003ctime\u003e",` +
		`"tasks":[{"retriedTaskId":"\u003ctask2\u003e","taskId":"\u003ctask1\u003e"}],"workflowId":"\u003cwf1\u003e"}}]}`
	require.JSONEq(t, want, string(b))
}

func TestNormalizeServerWorkerID(t *testing.T) {
	t.Parallel()
	in := `{"tasks":[{"workerId":"` + localHost() + `"},{"workerId":"compat-worker"}]}`
	b, err := json.Marshal((&Normalizer{}).Normalize(generic(t, in)))
	require.NoError(t, err)
	require.JSONEq(t, `{"tasks":[{"workerId":"\u003chost\u003e"},{"workerId":"compat-worker"}]}`, string(b))
}

func TestNormalizeJoinRows(t *testing.T) {
	t.Parallel()
	in := `{"tasks":[{"referenceTaskName":"j","taskType":"JOIN","pollCount":3,"updateTime":0,"status":"IN_PROGRESS","outputData":{"a":{}}},` +
		`{"referenceTaskName":"k","taskType":"JOIN","pollCount":3,"updateTime":0,"status":"CANCELED","outputData":{"a":{}}},` +
		`{"referenceTaskName":"t","taskType":"JOIN_ME","pollCount":3,"updateTime":0}]}`
	want := `{"tasks":[{"referenceTaskName":"j","taskType":"JOIN","pollCount":"\u003cracy\u003e","updateTime":"\u003cracy\u003e","status":"IN_PROGRESS","outputData":"\u003cracy\u003e"},` +
		`{"referenceTaskName":"k","taskType":"JOIN","pollCount":"\u003cracy\u003e","updateTime":"\u003cracy\u003e","status":"CANCELED","outputData":{"a":{}}},` +
		`{"referenceTaskName":"t","taskType":"JOIN_ME","pollCount":3,"updateTime":0}]}`
	b, err := json.Marshal((&Normalizer{}).Normalize(generic(t, in)))
	require.NoError(t, err)
	require.JSONEq(t, want, string(b))

	// A golden trace recorded before a rule existed gets it when it is read.
	g := generic(t, in)
	maskRacy(g)
	b, err = json.Marshal(g)
	require.NoError(t, err)
	require.JSONEq(t, want, string(b))
}

func TestNormalizeRacy(t *testing.T) {
	t.Parallel()
	row := `{"referenceTaskName":"j","taskType":"JOIN","status":"CANCELED","retryCount":0}`
	wf := `{"status":"FAILED","failedReferenceTaskNames":["t2"],"tasks":[` + row + `,{"referenceTaskName":"t","status":"FAILED"}]}`
	in := `{"steps":[{"response":` + wf + `},{"response":` + wf + `},{"value":` + wf + `,"steps":[` + row + `]}]}`
	n := Normalizer{Racy: []Racy{
		{From: 1, To: 2, Ref: "j", Fields: []string{"status"}},
		{From: 1, Ref: "j", Fields: []string{"reasonForIncompletion"}},
		{From: 2, Fields: []string{"failedReferenceTaskNames"}},
	}}
	b, err := json.Marshal(n.Normalize(generic(t, in)))
	require.NoError(t, err)
	const r = `"<racy>"`
	untouched := `{"referenceTaskName":"j","taskType":"JOIN","status":"CANCELED","retryCount":0}`
	tasks := func(join string) string { return `"tasks":[` + join + `,{"referenceTaskName":"t","status":"FAILED"}]` }
	require.JSONEq(t, `{"steps":[`+
		`{"response":{"status":"FAILED","failedReferenceTaskNames":["t2"],`+tasks(untouched)+`}},`+
		`{"response":{"status":"FAILED","failedReferenceTaskNames":["t2"],`+
		tasks(`{"referenceTaskName":"j","taskType":"JOIN","status":`+r+`,"reasonForIncompletion":`+r+`,"retryCount":0}`)+`}},`+
		`{"value":{"status":"FAILED","failedReferenceTaskNames":`+r+`,`+
		tasks(`{"referenceTaskName":"j","taskType":"JOIN","status":"CANCELED","reasonForIncompletion":`+r+`,"retryCount":0}`)+`},`+
		`"steps":[{"referenceTaskName":"j","taskType":"JOIN","status":"CANCELED","reasonForIncompletion":`+r+`,"retryCount":0}]}]}`, string(b))
}

func TestNormalizeIsDeterministic(t *testing.T) {
	t.Parallel()
	in := `{"steps":[{"response":{"b":"11111111-1111-4111-8111-111111111111","a":"22222222-2222-4222-8222-222222222222"}}]}`
	var first string
	for range 5 {
		n := Normalizer{}
		b, err := json.Marshal(n.Normalize(generic(t, in)))
		require.NoError(t, err)
		if first == "" {
			first = string(b)
		}
		require.Equal(t, first, string(b))
	}
	require.Contains(t, first, `"a":"\u003cid1\u003e"`)
}

func TestCompare(t *testing.T) {
	t.Parallel()
	g := generic(t, `{"scenario":"s","steps":[{"kind":"call","method":"POST","path":"/tasks","status":500,"response":{"status":500,"message":"x"}},{"kind":"note","label":"a.b","value":1}]}`)
	a := generic(t, `{"scenario":"s","steps":[{"kind":"call","method":"POST","path":"/tasks","status":400,"response":{"status":400,"message":"x","extra":true}}]}`)
	diffs := Compare(g, a)
	var paths []string
	for _, d := range diffs {
		paths = append(paths, d.Path)
	}
	require.Equal(t, []string{
		"steps[0](POST /tasks).response.extra",
		"steps[0](POST /tasks).response.status",
		"steps[0](POST /tasks).status",
		"steps[1](a_b)",
	}, paths)
	require.Equal(t, Absent, diffs[0].Golden)
	require.Equal(t, Absent, diffs[3].Actual)
	require.Empty(t, Compare(g, g))
	require.Empty(t, Compare(generic(t, `{"v":1}`), generic(t, `{"v":1.0}`)), "1 and 1.0 are the same number")
}

func TestAllowlist(t *testing.T) {
	t.Parallel()
	al, err := ParseAllowlist([]byte(`{"entries":[
	  {"scenario":"errors_*","path":"steps[*](POST /tasks).status","golden":500,"actual":400,"reason":"client mistake"},
	  {"scenario":"*","path":"steps[*].contentType","reason":"charset spelling"},
	  {"scenario":"x","path":"**.message","reason":"messages"}]}`))
	require.NoError(t, err)
	cases := []struct {
		scenario string
		d        Diff
		want     string
	}{
		{"errors_malformed", Diff{Path: "steps[3](POST /tasks).status", Golden: json.Number("500"), Actual: json.Number("400")}, "client mistake"},
		{"errors_malformed", Diff{Path: "steps[3](POST /tasks).status", Golden: json.Number("500"), Actual: json.Number("404")}, ""},
		{"other", Diff{Path: "steps[3](POST /tasks).status", Golden: json.Number("500"), Actual: json.Number("400")}, ""},
		{"any", Diff{Path: "steps[12](GET /workflow/{workflowId}).contentType", Golden: "a", Actual: "b"}, "charset spelling"},
		{"any", Diff{Path: "steps[12].response.contentType", Golden: "a", Actual: "b"}, ""},
		{"x", Diff{Path: "steps[1](label).response.message", Golden: "a", Actual: "b"}, "messages"},
	}
	for _, c := range cases {
		e := al.Match(c.scenario, c.d)
		if c.want == "" {
			require.Nil(t, e, "%s %s", c.scenario, c.d.Path)
			continue
		}
		require.NotNil(t, e, "%s %s", c.scenario, c.d.Path)
		require.Equal(t, c.want, e.Reason)
	}
	v := Judge("errors_malformed", generic(t, `{"steps":[{"kind":"call","method":"POST","path":"/tasks","status":500}]}`),
		generic(t, `{"steps":[{"kind":"call","method":"POST","path":"/tasks","status":400}]}`), al)
	require.Empty(t, v.Unexpected)
	require.Len(t, v.Allowed, 1)
}

func TestParseAllowlistRejectsBadEntries(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"entries":[{"scenario":"*","path":"x"}]}`,
		`{"entries":[{"scenario":"[","path":"x","reason":"r"}]}`,
		`{"entries":[{"scenario":"*","path":"x","reason":"r","typo":1}]}`,
		`not json`,
	} {
		_, err := ParseAllowlist([]byte(in))
		require.Error(t, err, in)
	}
}

func TestMediaType(t *testing.T) {
	t.Parallel()
	require.Equal(t, "text/plain", MediaType("text/plain;charset=UTF-8"))
	require.Equal(t, "text/plain", MediaType("Text/Plain; charset=utf-8"))
	require.Empty(t, MediaType(""))
}

func TestGoldenRoundTrip(t *testing.T) {
	t.Parallel()
	ok := true
	tr := &Trace{Scenario: "s", Steps: []Step{{Kind: KindCall, Method: "GET", Path: "/x", Status: 204, BodyKind: "none"}, {Kind: KindCheck, Label: "c", OK: &ok}}}
	g, err := Generic(tr)
	require.NoError(t, err)
	path := t.TempDir() + "/s.json"
	require.NoError(t, WriteGolden(path, g))
	back, err := ReadGolden(path)
	require.NoError(t, err)
	require.Empty(t, Compare(g, back))
	_, err = ReadGolden(t.TempDir() + "/missing.json")
	require.ErrorContains(t, err, "-update")
}
