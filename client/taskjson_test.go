package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

// stdTask is what encoding/json makes of data: the reference every result of
// the task decoder is held to.
func stdTask(data []byte) (*model.WorkerTask, error) {
	t := &model.WorkerTask{}
	if err := json.Unmarshal(data, t); err != nil {
		return nil, err
	}
	return t, nil
}

// fast decodes data on the fast path only; ok is false when it would have
// left the document to encoding/json.
func fast(d *taskDecoder, data []byte) (*model.WorkerTask, bool) {
	t := &model.WorkerTask{}
	s := scanner{b: data}
	return t, d.readTask(&s, t) && s.end()
}

// requireSame fails unless two decodings are equal, down to the sign of
// zero (compared through their encodings too).
func requireSame(t *testing.T, want, got any) {
	t.Helper()
	require.Equal(t, want, got)
	wb, err := json.Marshal(want)
	require.NoError(t, err)
	gb, err := json.Marshal(got)
	require.NoError(t, err)
	require.Equal(t, string(wb), string(gb))
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../model/testdata/" + name)
	require.NoError(t, err)
	return b
}

func TestTaskDecoderFixtures(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"task.json", "task_polled.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw := readFixture(t, name)
			var compact bytes.Buffer
			require.NoError(t, json.Compact(&compact, raw))
			d := newTaskDecoder()
			for _, data := range [][]byte{raw, compact.Bytes(), raw} { // the third from cache
				want, err := stdTask(data)
				require.NoError(t, err)
				got, ok := fast(d, data)
				require.True(t, ok, "the fast path gave up on a task the real server sent")
				requireSame(t, want, got)
			}
		})
	}
}

// TestTaskDecoderEveryField fills every field of model.WorkerTask, so a field
// added to the model without a taskFields entry fails here.
func TestTaskDecoderEveryField(t *testing.T) {
	t.Parallel()
	var task model.WorkerTask
	fill(reflect.ValueOf(&task).Elem(), 0)
	data, err := json.Marshal(&task)
	require.NoError(t, err)

	names := map[string]bool{}
	for _, f := range taskFields {
		names[f.name] = true
	}
	typ := reflect.TypeFor[model.WorkerTask]()
	for i := range typ.NumField() {
		tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if typ.Field(i).IsExported() {
			require.True(t, names[tag], "model.WorkerTask field %s has no entry in taskFields", typ.Field(i).Name)
		}
	}
	require.Len(t, taskFields, len(names), "taskFields names a field twice")

	want, err := stdTask(data)
	require.NoError(t, err)
	got, ok := fast(newTaskDecoder(), data)
	require.True(t, ok)
	requireSame(t, want, got)
}

// TestTaskDecoderAgreesWithEncodingJSON covers what the fast path hands to
// encoding/json: the result, or the error, is encoding/json's either way.
func TestTaskDecoderAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"empty object":             `{}`,
		"null":                     `null`,
		"nulls everywhere":         `{"taskId":null,"retryCount":null,"retried":null,"inputData":null,"workflowTask":null,"taskDefinition":null,"runtimeMetadata":null}`,
		"key in another case":      `{"TASKID":"a","taskId":"b"}`,
		"key in another case last": `{"taskId":"b","TaskID":"a"}`,
		"key with Kelvin sign":     `{"tas\u212aId":"a"}`,
		"escaped key":              `{"task\u0049d":"a"}`,
		"repeated field":           `{"taskId":"a","taskId":"b"}`,
		"repeated map field":       `{"inputData":{"a":1},"inputData":{"b":2}}`,
		"repeated map key":         `{"inputData":{"a":1,"a":{"b":2}}}`,
		"unknown fields":           `{"future":{"x":[1,2,{"y":null}]},"taskId":"a","more":"x"}`,
		"float into int":           `{"retryCount":1.5}`,
		"exponent into int":        `{"retryCount":1e2}`,
		"int overflow":             `{"startTime":99999999999999999999}`,
		"int64 bounds":             `{"startTime":-9223372036854775808,"endTime":9223372036854775807}`,
		"string into int":          `{"retryCount":"3"}`,
		"number into string":       `{"taskId":3}`,
		"bool into string":         `{"taskId":true}`,
		"object into string":       `{"taskId":{}}`,
		"array into map":           `{"inputData":[]}`,
		"number out of range":      `{"inputData":{"x":1e400}}`,
		"numbers":                  `{"inputData":{"a":-0,"b":0,"c":-0.0,"d":1e-7,"e":12345678901234567890,"f":9007199254740993,"g":-1.5E+3}}`,
		"escapes":                  `{"taskId":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00","inputData":{"k\n":"\u0000"}}`,
		"lone surrogate":           `{"taskId":"\ud800x"}`,
		"invalid utf-8":            "{\"taskId\":\"a\xffb\",\"inputData\":{\"\xfe\":\"\xc3\"}}",
		"valid utf-8":              `{"taskId":"héllo 世界","inputData":{"ключ":"значение"}}`,
		"control char":             "{\"taskId\":\"a\x01b\"}",
		"bad escape":               `{"taskId":"\x"}`,
		"short unicode escape":     `{"taskId":"\u12"}`,
		"trailing comma":           `{"taskId":"a",}`,
		"trailing garbage":         `{"taskId":"a"} x`,
		"two documents":            `{} {}`,
		"missing colon":            `{"taskId" "a"}`,
		"unterminated":             `{"taskId":"a"`,
		"unterminated string":      `{"taskId":"a`,
		"leading zero":             `{"retryCount":01}`,
		"bare minus":               `{"inputData":{"a":-}}`,
		"dot without digits":       `{"inputData":{"a":1.}}`,
		"exponent without digits":  `{"inputData":{"a":1e}}`,
		"bad literal":              `{"retried":tru}`,
		"literal with tail":        `{"retried":truex}`,
		"white space":              " \t\r\n{ \"taskId\" : \"a\" , \"seq\" : 2 } \n",
		"array top level":          `[]`,
		"string top level":         `"task"`,
		"empty":                    ``,
		"runtime metadata":         `{"runtimeMetadata":{"a":"b","c":"d"}}`,
		"runtime metadata null el": `{"runtimeMetadata":{"a":null}}`,
		"runtime metadata number":  `{"runtimeMetadata":{"a":1}}`,
		"workflowTask not object":  `{"workflowTask":[]}`,
		"workflowTask bad field":   `{"workflowTask":{"startDelay":"x"}}`,
		"taskDefinition":           `{"taskDefinition":{"name":"x","createTime":5,"inputKeys":["a"]}}`,
		"deep unknown":             `{"x":` + strings.Repeat("[", maxScanDepth+5) + strings.Repeat("]", maxScanDepth+5) + `}`,
		"deep input":               `{"inputData":{"x":` + strings.Repeat("[", maxScanDepth+5) + strings.Repeat("]", maxScanDepth+5) + `}}`,
		"too deep for json":        `{"inputData":{"x":` + strings.Repeat("[", 10001) + strings.Repeat("]", 10001) + `}}`,
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			requireAgrees(t, newTaskDecoder(), []byte(doc))
		})
	}
}

// requireAgrees checks the decoder against encoding/json on one document,
// as one task and as a list of one.
func requireAgrees(t *testing.T, d *taskDecoder, data []byte) {
	t.Helper()
	want, wantErr := stdTask(data)
	got, gotErr := d.task(data)
	if wantErr != nil {
		require.EqualError(t, gotErr, wantErr.Error())
	} else {
		require.NoError(t, gotErr)
		requireSame(t, want, got)
	}

	list := append(append([]byte(`[`), data...), ']')
	var wantList []model.WorkerTask
	wantErr = json.Unmarshal(list, &wantList)
	gotList, gotErr := d.tasks(list)
	if wantErr != nil {
		require.EqualError(t, gotErr, wantErr.Error())
		return
	}
	require.NoError(t, gotErr)
	requireSame(t, wantList, gotList)
}

func TestTaskDecoderLists(t *testing.T) {
	t.Parallel()
	task := readFixture(t, "task_polled.json")
	d := newTaskDecoder()
	for _, doc := range []string{`[]`, ` [ ] `, `null`, `[null]`, `[{},{"taskId":"a"}]`,
		`[` + string(task) + `,` + string(task) + `]`, `[{}`, `[{},]`, `{}`, `[1]`} {
		var want []model.WorkerTask
		wantErr := json.Unmarshal([]byte(doc), &want)
		got, err := d.tasks([]byte(doc))
		if wantErr != nil {
			require.EqualError(t, err, wantErr.Error(), doc)
			continue
		}
		require.NoError(t, err, doc)
		if want == nil {
			want = []model.WorkerTask{} // the client answers an empty list, never nil
		}
		requireSame(t, want, got)
	}
}

// TestTaskDecoderCopies checks that tasks decoded from the same definition
// share nothing: a handler changing its task's definition changes no other.
func TestTaskDecoderCopies(t *testing.T) {
	t.Parallel()
	data := readFixture(t, "task_polled.json")
	d := newTaskDecoder()
	first, err := d.task(data)
	require.NoError(t, err)
	first.WorkflowTask.InputParameters["orderId"] = "changed"
	first.WorkflowTask.TaskDefinition.InputKeys[0] = "changed"
	first.TaskDefinition.Name = "changed"
	first.TaskDefinition.InputKeys[0] = "changed"

	second, err := d.task(data)
	require.NoError(t, err)
	want, err := stdTask(data)
	require.NoError(t, err)
	requireSame(t, want, second)
}

func TestTaskDecoderCacheIsBounded(t *testing.T) {
	t.Parallel()
	d := newTaskDecoder()
	for i := range maxCachedDefs + 10 {
		data := fmt.Sprintf(`{"workflowTask":{"name":"t%d"},"taskDefinition":{"name":"t%d"}}`, i, i)
		got, err := d.task([]byte(data))
		require.NoError(t, err)
		require.Equal(t, fmt.Sprintf("t%d", i), got.WorkflowTask.Name)
		require.Equal(t, fmt.Sprintf("t%d", i), got.TaskDefinition.Name)
		require.LessOrEqual(t, cachedLen(&d.workflowTasks), maxCachedDefs)
		require.LessOrEqual(t, cachedLen(&d.taskDefs), maxCachedDefs)
	}
	big := `{"taskDefinition":{"name":"big","description":"` + strings.Repeat("x", maxCachedDefLen) + `"}}`
	got, err := d.task([]byte(big))
	require.NoError(t, err)
	require.Equal(t, "big", got.TaskDefinition.Name)
	for k := range d.taskDefs.byRaw {
		require.LessOrEqual(t, len(k), maxCachedDefLen)
	}
}

func TestTaskDecoderConcurrent(t *testing.T) {
	t.Parallel()
	data := readFixture(t, "task_polled.json")
	want, err := stdTask(data)
	require.NoError(t, err)
	d := newTaskDecoder()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := d.task(data)
				if err != nil || !reflect.DeepEqual(want, got) {
					t.Errorf("concurrent decode differs: %v", err)
					return
				}
				got.WorkflowTask.InputParameters["x"] = 1 // must not race with the others
			}
		})
	}
	wg.Wait()
}

func FuzzTaskDecoder(f *testing.F) {
	f.Add(readFixture(f, "task_polled.json"))
	f.Add(readFixture(f, "task.json"))
	for _, s := range []string{`{}`, `null`, `{"taskId":"a","inputData":{"a":[1,2.5,"x",null,true]}}`,
		`{"TaskId":"a"}`, `{"retryCount":1e3}`, `{"runtimeMetadata":{"a":"b"}}`, "{\"taskId\":\"\xff\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		requireAgrees(t, newTaskDecoder(), data)
	})
}

// fill sets every field reachable from v to a value that is not zero.
func fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", depth))
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(7 + depth))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		if depth > 3 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), depth)
			}
		}
	case reflect.Slice:
		if depth > 3 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), depth+1)
	case reflect.Map:
		if depth > 3 {
			return
		}
		m := reflect.MakeMap(v.Type())
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, depth+1)
		m.SetMapIndex(reflect.ValueOf("k"), e)
		v.Set(m)
	case reflect.Interface:
		v.Set(reflect.ValueOf(map[string]any{"k": []any{"v", 1.5, true, nil}}))
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
}

// BenchmarkDecodeTask compares the task decoder with encoding/json on a task
// the real server sent (definitions included twice, as Conductor sends them).
func BenchmarkDecodeTask(b *testing.B) {
	var compact bytes.Buffer
	require.NoError(b, json.Compact(&compact, readFixture(b, "task_polled.json")))
	data := compact.Bytes()
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := stdTask(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("taskDecoder", func(b *testing.B) {
		d := newTaskDecoder()
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := d.task(data); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestTaskDecoderSharesRepeatedNames(t *testing.T) {
	t.Parallel()
	data := readFixture(t, "task_polled.json")
	d := newTaskDecoder()
	a, err := d.task(data)
	require.NoError(t, err)
	b, err := d.task(data)
	require.NoError(t, err)
	require.Same(t, unsafe.StringData(a.TaskType), unsafe.StringData(b.TaskType), "task types are shared")
	require.Same(t, unsafe.StringData(string(a.Status)), unsafe.StringData(string(b.Status)))
	require.NotSame(t, unsafe.StringData(a.TaskId), unsafe.StringData(b.TaskId), "ids are not kept")
	for k := range a.InputData {
		kb, _ := keyOf(b.InputData, k)
		require.Same(t, unsafe.StringData(k), unsafe.StringData(kb), "input names are shared: %s", k)
	}
	require.Equal(t, a.InputData, b.InputData)
}

// keyOf returns m's own copy of key k.
func keyOf(m map[string]any, k string) (string, bool) {
	for mk := range m {
		if mk == k {
			return mk, true
		}
	}
	return "", false
}

// TestInternTableIsBounded: strings are shared until the table is full or
// when they are too long; then they are still read right, but copied.
func TestInternTableIsBounded(t *testing.T) {
	t.Parallel()
	var in internTable
	read := func(v string) string {
		s := scanner{b: []byte(`"` + v + `"`)}
		got, ok := in.str(&s)
		require.True(t, ok)
		require.Equal(t, v, got)
		return got
	}
	for i := range maxInterned + 10 {
		name := fmt.Sprint("name-", i)
		first := read(name)
		if i < maxInterned {
			require.Same(t, unsafe.StringData(first), unsafe.StringData(read(name)), "%s is shared", name)
		} else {
			require.NotSame(t, unsafe.StringData(first), unsafe.StringData(read(name)), "the table is full")
		}
	}
	long := strings.Repeat("x", maxInternedLen+1)
	require.NotSame(t, unsafe.StringData(read(long)), unsafe.StringData(read(long)), "long strings are not kept")
}

// TestSmallNumbersAreShared: integers 0 to 255 in an interface come from
// one boxed copy each; the values are what encoding/json gives.
func TestSmallNumbersAreShared(t *testing.T) { // not parallel: AllocsPerRun
	for _, tc := range []struct {
		in   string
		want float64
	}{{"0", 0}, {"7", 7}, {"255", 255}, {"256", 256}, {"-1", -1}, {"1.0", 1}, {"1e2", 100}} {
		s := scanner{b: []byte(tc.in)}
		v, ok := s.value()
		require.True(t, ok, tc.in)
		require.Equal(t, tc.want, v, tc.in)
		var std any
		require.NoError(t, json.Unmarshal([]byte(tc.in), &std))
		require.Equal(t, std, v, tc.in)
	}
	s := scanner{b: []byte("-0")}
	v, ok := s.value()
	require.True(t, ok)
	require.True(t, math.Signbit(v.(float64)), "-0 keeps its sign, as in encoding/json")
	in := []byte("42")
	require.Zero(t, testing.AllocsPerRun(100, func() {
		s := scanner{b: in}
		_, _ = s.value()
	}))
}

// TestRecycledBodyLeavesTasksIntact: the answer's buffer goes back to the
// pool once the task is decoded, so nothing decoded may point into it.
func TestRecycledBodyLeavesTasksIntact(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"task_polled.json", "task.json"} {
		data := readFixture(t, name)
		want, err := stdTask(data)
		require.NoError(t, err)
		buf := bytes.Clone(data)
		got, err := newTaskDecoder().task(buf)
		require.NoError(t, err)
		// What the next answer does to a recycled buffer. (This one is not
		// put in the shared pool: other tests running meanwhile use it.)
		for i := range buf {
			buf[i] = 'x'
		}
		requireSame(t, want, got)
	}
}

func cachedLen[T any](c *defCache[T]) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byRaw)
}

// TestTaskDecoderFieldOrderAndSizes: one decoder reads tasks whose fields
// come in another order than the last task's, and inputs of any size
// after one another, exactly as encoding/json does.
func TestTaskDecoderFieldOrderAndSizes(t *testing.T) {
	t.Parallel()
	var fields map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(readFixture(t, "task_polled.json"), &fields))
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	render := func(order []string, input string) []byte {
		var b strings.Builder
		b.WriteString("{")
		for i, k := range order {
			if i > 0 {
				b.WriteString(",")
			}
			v := string(fields[k])
			if k == "inputData" {
				v = input
			}
			fmt.Fprintf(&b, "%q:%s", k, v)
		}
		b.WriteString(`,"someFutureField":{"a":[1,2]}}`)
		return []byte(b.String())
	}
	big := make([]string, 40)
	for i := range big {
		big[i] = fmt.Sprintf(`"k%d":%d`, i, i)
	}
	inputs := []string{`{"a":1}`, "{" + strings.Join(big, ",") + "}", "null", "{}", `{"x":{"y":[1,{"z":null}]}}`}
	d := newTaskDecoder()
	for round := range 6 {
		order := slices.Clone(names)
		switch round % 3 {
		case 0:
			slices.Sort(order)
		case 1:
			slices.Sort(order)
			slices.Reverse(order)
		}
		for _, in := range inputs {
			data := render(order, in)
			want, err := stdTask(data)
			require.NoError(t, err)
			got, err := d.task(data)
			require.NoError(t, err)
			requireSame(t, want, got)
			var fast model.WorkerTask
			sc := scanner{b: data, keys: &d.names}
			require.True(t, d.readTask(&sc, &fast) && sc.end(), "the fast path reads it, not encoding/json")
		}
	}
}
