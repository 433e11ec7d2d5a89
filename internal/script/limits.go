package script

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// limitBuiltins wraps the builtins that build a string of a length the
// script chooses in one step: goja would allocate whatever the count asks
// for ('x'.repeat(2**40)), in Go code no interrupt reaches. Past max the VM
// is interrupted; the wrapped call returns "" and the script stops at its
// next instruction, so it cannot catch the error and carry on.
func limitBuiltins(vm *goja.Runtime, maxLen int) {
	strProto := vm.Get("String").ToObject(vm).Get("prototype").ToObject(vm)
	limit(vm, strProto, "repeat", maxLen, func(call goja.FunctionCall) int64 {
		return int64(len(call.This.String())) * call.Argument(0).ToInteger()
	})
	pad := func(call goja.FunctionCall) int64 { return call.Argument(0).ToInteger() }
	limit(vm, strProto, "padStart", maxLen, pad)
	limit(vm, strProto, "padEnd", maxLen, pad)

	arrProto := vm.Get("Array").ToObject(vm).Get("prototype").ToObject(vm)
	// join of a huge sparse array loops in Go over every hole.
	limit(vm, arrProto, "join", maxLen, func(call goja.FunctionCall) int64 {
		o, ok := call.This.(*goja.Object)
		if !ok {
			return 0
		}
		sep := int64(1)
		if a := call.Argument(0); !goja.IsUndefined(a) {
			sep = int64(len(a.String()))
		}
		return o.Get("length").ToInteger() * max(sep, 1)
	})
}

func limit(vm *goja.Runtime, proto *goja.Object, name string, maxLen int, size func(goja.FunctionCall) int64) {
	orig, ok := goja.AssertFunction(proto.Get(name))
	if !ok {
		return
	}
	_ = proto.Set(name, func(call goja.FunctionCall) goja.Value {
		if n := size(call); n > int64(maxLen) || n < 0 {
			vm.Interrupt(reasonString)
			return vm.ToValue("")
		}
		v, err := orig(call.This, call.Arguments...)
		if err != nil {
			panic(err) // a JavaScript exception: rethrown into the script
		}
		return v
	})
}

// heapGuard interrupts evaluations while the Go heap grows past a limit
// since each began. One goroutine samples the heap every tick while any
// evaluation runs and exits when the last one ends.
type heapGuard struct {
	limit uint64

	mu   sync.Mutex
	vms  map[*goja.Runtime]uint64 // heap bytes when each began
	stop chan struct{}
	done chan struct{}
}

const heapTick = 2 * time.Millisecond

const heapMetric = "/memory/classes/heap/objects:bytes"

func newHeapGuard(limit int64) *heapGuard {
	if limit < 0 {
		return nil
	}
	return &heapGuard{limit: uint64(limit), vms: make(map[*goja.Runtime]uint64)}
}

// watch registers vm and returns the function that unregisters it.
func (g *heapGuard) watch(vm *goja.Runtime) func() {
	base := heapBytes()
	g.mu.Lock()
	g.vms[vm] = base
	if len(g.vms) == 1 {
		g.stop, g.done = make(chan struct{}), make(chan struct{})
		go g.run(g.stop, g.done)
	}
	g.mu.Unlock()
	return func() {
		g.mu.Lock()
		delete(g.vms, vm)
		var done chan struct{}
		if len(g.vms) == 0 {
			close(g.stop)
			done = g.done
		}
		g.mu.Unlock()
		if done != nil {
			<-done // no goroutine outlives the last evaluation
		}
	}
}

func (g *heapGuard) run(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(heapTick)
	defer t.Stop()
	var lastGC time.Time
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		now := heapBytes()
		if !g.over(now) {
			continue
		}
		// Garbage counts until a collection frees it; collect once (at most
		// every second) so that a script that merely churns is not stopped.
		if time.Since(lastGC) > time.Second {
			runtime.GC()
			lastGC = time.Now()
			now = heapBytes()
		}
		g.mu.Lock()
		for vm, base := range g.vms {
			if now > base && now-base > g.limit {
				vm.Interrupt(reasonHeap)
			}
		}
		g.mu.Unlock()
	}
}

func (g *heapGuard) over(now uint64) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, base := range g.vms {
		if now > base && now-base > g.limit {
			return true
		}
	}
	return false
}

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
