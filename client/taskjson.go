package client

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/batonhq/baton/model"
)

// Decoding the task in every poll and update-v2 answer was the largest share
// of a worker's CPU (benchmarks.md): encoding/json validates the document,
// then reflects over ~45 fields, and a third of the bytes are the task's
// definition, sent twice (workflowTask.taskDefinition and taskDefinition)
// and the same for every task of a workflow definition.
//
// taskDecoder reads the task's own fields in one pass and decodes each
// distinct workflowTask and taskDefinition once, handing every task a deep
// copy of it. Anything its fast path does not handle exactly as encoding/json
// would — an unknown key that matches a field case-insensitively, a repeated
// field, escapes in keys, numbers out of range, invalid JSON — sends the whole
// document to encoding/json instead, so the result and the errors are always
// encoding/json's.
type taskDecoder struct {
	workflowTasks defCache[model.WorkflowTask]
	taskDefs      defCache[model.TaskDef]
	names         internTable
	// follows[i] is the field that came after field i in the last task
	// (i = len(taskFields): the first field). A server writes its fields in
	// one order, so checking that field's name first saves a lookup.
	follows []atomic.Int32
	// inputSize is how many entries the last task's inputData had: the
	// next one's map is made that size, not grown.
	inputSize atomic.Int32
}

// Bounds of the definition caches: a worker sees a handful of definitions;
// past the bound a cache starts again empty, and values larger than the
// bound on size are decoded without caching.
const (
	maxCachedDefs   = 256
	maxCachedDefLen = 64 << 10
)

func newTaskDecoder() *taskDecoder {
	return &taskDecoder{
		workflowTasks: defCache[model.WorkflowTask]{byRaw: map[string]*model.WorkflowTask{}},
		taskDefs:      defCache[model.TaskDef]{byRaw: map[string]*model.TaskDef{}},
		follows:       make([]atomic.Int32, len(taskFields)+1),
	}
}

// task decodes one task.
func (d *taskDecoder) task(data []byte) (*model.WorkerTask, error) {
	t := &model.WorkerTask{}
	s := scanner{b: data, keys: &d.names}
	if d.readTask(&s, t) && s.end() {
		return t, nil
	}
	t = &model.WorkerTask{}
	if err := json.Unmarshal(data, t); err != nil {
		return nil, err
	}
	return t, nil
}

// tasks decodes a JSON array of tasks; null is an empty list.
func (d *taskDecoder) tasks(data []byte) ([]model.WorkerTask, error) {
	if out, ok := d.readTasks(data); ok {
		return out, nil
	}
	var out []model.WorkerTask
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	if out == nil {
		out = []model.WorkerTask{}
	}
	return out, nil
}

func (d *taskDecoder) readTasks(data []byte) ([]model.WorkerTask, bool) {
	s := scanner{b: data, keys: &d.names}
	if !s.consume('[') {
		return nil, false
	}
	out := []model.WorkerTask{}
	if s.consume(']') {
		return out, s.end()
	}
	for {
		out = append(out, model.WorkerTask{})
		if !d.readTask(&s, &out[len(out)-1]) {
			return nil, false
		}
		if s.consume(']') {
			return out, s.end()
		}
		if !s.consume(',') {
			return nil, false
		}
	}
}

// readTask reads one task object into t, which must be zero.
func (d *taskDecoder) readTask(s *scanner, t *model.WorkerTask) bool {
	if s.null() {
		return true
	}
	if !s.consume('{') {
		return false
	}
	if s.consume('}') {
		return true
	}
	var seen [(len(taskFields) + 63) / 64]uint64
	prev := len(taskFields)
	for {
		start, end, plain, ok := s.strSpan()
		if !ok || !plain || !s.consume(':') {
			return false
		}
		key := s.b[start:end]
		f, known := d.field(prev, key)
		if known {
			prev = f
		}
		switch {
		case known:
			if seen[f/64]&(1<<(f%64)) != 0 {
				return false // encoding/json merges repeats; leave them to it
			}
			seen[f/64] |= 1 << (f % 64)
			if !taskFields[f].read(s, t, d) {
				return false
			}
		case foldsToTaskField(key):
			return false
		default:
			if _, ok := s.skip(); !ok {
				return false
			}
		}
		if s.consume('}') {
			return true
		}
		if !s.consume(',') {
			return false
		}
	}
}

// field finds the field named key, which came after field prev: first as
// the field that followed prev last time, then by name.
func (d *taskDecoder) field(prev int, key []byte) (int, bool) {
	if f := int(d.follows[prev].Load()); taskFields[f].name == string(key) {
		return f, true
	}
	f, ok := taskFieldIndex[string(key)]
	if ok {
		d.follows[prev].Store(int32(f))
	}
	return f, ok
}

// foldsToTaskField reports whether an unknown ASCII key names a field in
// another case, which encoding/json would fill.
func foldsToTaskField(key []byte) bool {
	var buf [48]byte
	if len(key) > len(buf) {
		return false
	}
	for i, c := range key {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	_, ok := taskFieldFolded[string(buf[:len(key)])]
	return ok
}

// maxInputSizeHint bounds the size a task's inputData map is made with.
const maxInputSizeHint = 1024

// anyMap reads an object into *m; null makes it nil, as encoding/json does.
func (s *scanner) anyMap(m *map[string]any) bool {
	if s.null() {
		*m = nil
		return true
	}
	v, ok := s.object(0)
	*m = v
	return ok
}

// stringMap reads an object of strings into *m.
func (s *scanner) stringMap(m *map[string]string) bool {
	if s.null() {
		*m = nil
		return true
	}
	if !s.consume('{') {
		return false
	}
	out := map[string]string{}
	if s.consume('}') {
		*m = out
		return true
	}
	for {
		k, ok := s.str()
		if !ok || !s.consume(':') || s.peek() != '"' {
			return false
		}
		if out[k], ok = s.str(); !ok {
			return false
		}
		if s.consume('}') {
			*m = out
			return true
		}
		if !s.consume(',') {
			return false
		}
	}
}

// workflowTask reads a task's workflowTask, decoding each distinct one once.
func (d *taskDecoder) workflowTask(s *scanner, p **model.WorkflowTask) bool {
	if s.null() {
		*p = nil
		return true
	}
	v, ok := d.workflowTasks.get(s)
	if ok {
		*p = cloneWorkflowTask(v)
	}
	return ok
}

// taskDef reads a task's taskDefinition, decoding each distinct one once.
func (d *taskDecoder) taskDef(s *scanner, p **model.TaskDef) bool {
	if s.null() {
		*p = nil
		return true
	}
	v, ok := d.taskDefs.get(s)
	if ok {
		*p = cloneTaskDef(v)
	}
	return ok
}

// defCache holds definitions decoded by encoding/json, by their exact JSON.
// Its values are never handed out: callers clone them.
type defCache[T any] struct {
	mu    sync.RWMutex
	byRaw map[string]*T
	// last is the most recent one found: an object that is a prefix of
	// the rest of the document is the object there, so a match needs no
	// scan at all.
	last atomic.Pointer[defEntry[T]]
}

type defEntry[T any] struct {
	raw []byte
	v   *T
}

// get returns the decoded form of the object at s and moves past it.
func (c *defCache[T]) get(s *scanner) (*T, bool) {
	if s.peek() != '{' {
		return nil, false
	}
	if e := c.last.Load(); e != nil && bytes.HasPrefix(s.b[s.i:], e.raw) {
		s.i += len(e.raw)
		return e.v, true
	}
	raw, ok := s.skip()
	if !ok {
		return nil, false
	}
	c.mu.RLock()
	v := c.byRaw[string(raw)]
	c.mu.RUnlock()
	if v == nil {
		v = new(T)
		if json.Unmarshal(raw, v) != nil {
			return nil, false
		}
		if len(raw) > maxCachedDefLen {
			return v, true
		}
		c.mu.Lock()
		if len(c.byRaw) >= maxCachedDefs {
			clear(c.byRaw)
		}
		c.byRaw[string(raw)] = v
		c.mu.Unlock()
	}
	c.last.Store(&defEntry[T]{raw: bytes.Clone(raw), v: v})
	return v, true
}

// internTable keeps one copy of the strings that repeat from task to task
// (type, status, reference name, worker id, input names, ...): once seen,
// reading one allocates nothing. It keeps up to maxInterned strings of up to
// maxInternedLen bytes; others are copied as usual.
type internTable struct {
	mu sync.RWMutex
	m  map[string]string
}

const (
	maxInterned    = 4096
	maxInternedLen = 128
)

// read reads a string into *v like scanner.string, sharing the copy.
func (in *internTable) read(s *scanner, v *string) bool {
	if s.null() {
		return true
	}
	str, ok := in.str(s)
	if ok {
		*v = str
	}
	return ok
}

// str reads a string like scanner.str, sharing the copy.
func (in *internTable) str(s *scanner) (string, bool) {
	save := s.i
	start, end, plain, ok := s.strSpan()
	if !ok {
		return "", false
	}
	if !plain {
		s.i = save
		return s.str()
	}
	b := s.b[start:end]
	if len(b) > maxInternedLen {
		return string(b), true
	}
	in.mu.RLock()
	str, found := in.m[string(b)]
	in.mu.RUnlock()
	if found {
		return str, true
	}
	str = string(b)
	in.mu.Lock()
	if in.m == nil {
		in.m = make(map[string]string)
	}
	if len(in.m) < maxInterned {
		in.m[str] = str
	}
	in.mu.Unlock()
	return str, true
}

// taskField reads one field of Conductor's Task.
type taskField struct {
	name string
	read func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool
}

// taskFields lists every JSON field of model.WorkerTask (a test checks that
// none is missing).
var taskFields = [...]taskField{
	{"taskType", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool { return d.names.read(s, &t.TaskType) }},
	{"status", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool {
		return d.names.read(s, (*string)(&t.Status))
	}},
	{"inputData", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool {
		if s.null() {
			return true
		}
		m, ok := s.object(int(d.inputSize.Load()))
		d.inputSize.Store(int32(min(len(m), maxInputSizeHint)))
		t.InputData = m
		return ok
	}},
	{"referenceTaskName", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool {
		return d.names.read(s, &t.ReferenceTaskName)
	}},
	{"retryCount", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int(&t.RetryCount) }},
	{"seq", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int(&t.Seq) }},
	{"correlationId", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.string(&t.CorrelationId) }},
	{"pollCount", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int(&t.PollCount) }},
	{"taskDefName", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool { return d.names.read(s, &t.TaskDefName) }},
	{"scheduledTime", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int64(&t.ScheduledTime) }},
	{"startTime", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int64(&t.StartTime) }},
	{"endTime", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int64(&t.EndTime) }},
	{"updateTime", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int64(&t.UpdateTime) }},
	{"startDelayInSeconds", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int(&t.StartDelayInSeconds) }},
	{"retriedTaskId", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.string(&t.RetriedTaskId) }},
	{"retried", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.bool(&t.Retried) }},
	{"executed", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.bool(&t.Executed) }},
	{"callbackFromWorker", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.bool(&t.CallbackFromWorker) }},
	{"responseTimeoutSeconds", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int64(&t.ResponseTimeoutSeconds) }},
	{"workflowInstanceId", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.string(&t.WorkflowInstanceId) }},
	{"workflowType", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool { return d.names.read(s, &t.WorkflowType) }},
	{"taskId", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.string(&t.TaskId) }},
	{"reasonForIncompletion", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.string(&t.ReasonForIncompletion) }},
	{"callbackAfterSeconds", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int64(&t.CallbackAfterSeconds) }},
	{"workerId", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool { return d.names.read(s, &t.WorkerId) }},
	{"outputData", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.anyMap(&t.OutputData) }},
	{"workflowTask", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool { return d.workflowTask(s, &t.WorkflowTask) }},
	{"domain", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool { return d.names.read(s, &t.Domain) }},
	{"rateLimitPerFrequency", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int(&t.RateLimitPerFrequency) }},
	{"rateLimitFrequencyInSeconds", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool {
		return s.int(&t.RateLimitFrequencyInSeconds)
	}},
	{"externalInputPayloadStoragePath", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool {
		return s.string(&t.ExternalInputPayloadStoragePath)
	}},
	{"externalOutputPayloadStoragePath", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool {
		return s.string(&t.ExternalOutputPayloadStoragePath)
	}},
	{"workflowPriority", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int(&t.WorkflowPriority) }},
	{"executionNameSpace", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool {
		return d.names.read(s, &t.ExecutionNameSpace)
	}},
	{"isolationGroupId", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool {
		return d.names.read(s, &t.IsolationGroupId)
	}},
	{"iteration", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int(&t.Iteration) }},
	{"subWorkflowId", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.string(&t.SubWorkflowId) }},
	{"subworkflowChanged", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.bool(&t.SubworkflowChanged) }},
	{"firstStartTime", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int64(&t.FirstStartTime) }},
	{"executionMetadata", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.anyMap(&t.ExecutionMetadata) }},
	{"parentTaskId", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.string(&t.ParentTaskId) }},
	{"runtimeMetadata", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.stringMap(&t.RuntimeMetadata) }},
	{"queueWaitTime", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.int64(&t.QueueWaitTime) }},
	{"loopOverTask", func(s *scanner, t *model.WorkerTask, _ *taskDecoder) bool { return s.bool(&t.LoopOverTask) }},
	{"taskDefinition", func(s *scanner, t *model.WorkerTask, d *taskDecoder) bool { return d.taskDef(s, &t.TaskDefinition) }},
}

// taskFieldIndex finds a field by its exact name; taskFieldFolded by its
// name in lower case.
var taskFieldIndex, taskFieldFolded = func() (map[string]int, map[string]struct{}) {
	exact := make(map[string]int, len(taskFields))
	folded := make(map[string]struct{}, len(taskFields))
	for i, f := range taskFields {
		exact[f.name] = i
		folded[strings.ToLower(f.name)] = struct{}{}
	}
	return exact, folded
}()
