package script

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// limitBuiltins bounds the builtins that do work of a size the script
// chooses in one step. goja runs them as Go loops that no interrupt reaches:
// 'x'.repeat(2**40) or new Array(2**32-1).map(f) would allocate until the
// process dies. Past a limit the VM is interrupted; the wrapped call returns
// at once and the script stops at its next instruction, so it cannot catch
// the error and carry on.
func limitBuiltins(vm *goja.Runtime, maxStr, maxArr int) {
	global := vm.GlobalObject()
	// Binary buffers allocate their whole size up front; Conductor scripts
	// work on JSON and have no use for them.
	for _, name := range []string{"ArrayBuffer", "SharedArrayBuffer", "DataView", "Int8Array", "Uint8Array",
		"Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array",
		"Float64Array", "BigInt64Array", "BigUint64Array", "WeakRef", "FinalizationRegistry"} {
		_ = global.Delete(name)
	}

	strProto := vm.Get("String").ToObject(vm).Get("prototype").ToObject(vm)
	limit(vm, strProto, "repeat", reasonString, maxStr, func(call goja.FunctionCall) int64 {
		return strLen(call.This) * call.Argument(0).ToInteger()
	})
	pad := func(call goja.FunctionCall) int64 { return call.Argument(0).ToInteger() }
	limit(vm, strProto, "padStart", reasonString, maxStr, pad)
	limit(vm, strProto, "padEnd", reasonString, maxStr, pad)
	// A string replacement can be inserted at every position of the string.
	replace := func(call goja.FunctionCall) int64 {
		r := call.Argument(1)
		if _, isFunc := goja.AssertFunction(r); isFunc {
			return 0
		}
		n := strLen(call.This)
		return n + (n+1)*strLen(r)
	}
	limit(vm, strProto, "replace", reasonString, maxStr, replace)
	limit(vm, strProto, "replaceAll", reasonString, maxStr, replace)

	// Every Array method loops over this.length in Go, holes included.
	// Wrapping them is most of the cost of a fresh VM (goja builds each
	// builtin on first touch), the price of a server that survives
	// new Array(2**32-1).map(f).
	arrProto := vm.Get("Array").ToObject(vm).Get("prototype").ToObject(vm)
	thisLen := func(call goja.FunctionCall) int64 { return lengthOf(call.This) }
	for _, name := range arrayMethods {
		limit(vm, arrProto, name, reasonArray, maxArr, thisLen)
	}
	arrayCtor := vm.Get("Array").ToObject(vm)
	limit(vm, arrayCtor, "from", reasonArray, maxArr, func(call goja.FunctionCall) int64 { return lengthOf(call.Argument(0)) })
}

// arrayMethods are Array.prototype's functions that walk the array.
var arrayMethods = []string{"at", "concat", "copyWithin", "entries", "every", "fill", "filter", "find", "findIndex",
	"findLast", "findLastIndex", "flat", "flatMap", "forEach", "includes", "indexOf", "join", "keys",
	"lastIndexOf", "map", "pop", "push", "reduce", "reduceRight", "reverse", "shift", "slice", "some", "sort",
	"splice", "toLocaleString", "toReversed", "toSorted", "toSpliced", "toString", "unshift", "values", "with"}

func strLen(v goja.Value) int64 {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return 0
	}
	return int64(len(v.String()))
}

// lengthOf is v.length for an object (an array or an array-like), else 0.
func lengthOf(v goja.Value) int64 {
	o, ok := v.(*goja.Object)
	if !ok {
		return 0
	}
	return o.Get("length").ToInteger()
}

func limit(vm *goja.Runtime, obj *goja.Object, name string, reason interruptReason, maxN int, size func(goja.FunctionCall) int64) {
	orig, ok := goja.AssertFunction(obj.Get(name))
	if !ok {
		return
	}
	_ = obj.Set(name, func(call goja.FunctionCall) goja.Value {
		if n := size(call); n > int64(maxN) || n < 0 {
			vm.Interrupt(reason)
			return goja.Undefined()
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
//
// goja offers no allocation hook: a string doubled in a loop is one Go
// string concatenation per step, and the VM notices an interrupt only
// between steps. So the guard samples the heap, which counts a large
// allocation the moment it is made, and decides without waiting:
//
//   - growth past one and a half times the limit interrupts at once;
//   - growth past the limit interrupts if a collection ended less than a
//     second ago (what is left is live, or was made since); otherwise a
//     collection starts, on a goroutine of its own, and the evaluations
//     still over the limit when it ends are interrupted.
//
// A collection can take a second under load, and the script keeps
// allocating meanwhile: waiting for one before deciding let a doubled
// string reach gigabytes. Deciding without it bounds a doubling script's
// peak near three and a half times the limit (the step in flight when the
// guard looks doubles what is there; 1.5, not 2, because the halves of a
// doubling sum to just under twice the last one), at the price of stopping
// a script that churns through more than 1.5 times the limit of garbage
// before the runtime collects it, which the runtime's pacing allows only
// when the rest of the process holds about that much live data.
type heapGuard struct {
	limit uint64

	mu   sync.Mutex
	vms  map[*goja.Runtime]uint64 // heap bytes when each began
	stop chan struct{}
	done chan struct{}
}

const heapTick = time.Millisecond

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
	var (
		lastGC    time.Time
		collected chan uint64 // non-nil while a collection runs; gets the heap after it
	)
	defer func() {
		if collected != nil {
			<-collected
		}
	}()
	for {
		select {
		case <-stop:
			return
		case now := <-collected:
			collected, lastGC = nil, time.Now()
			g.interrupt(now, g.limit)
			continue
		case <-t.C:
		}
		now := heapBytes()
		g.interrupt(now, g.limit+g.limit/2)
		if !g.over(now) {
			continue
		}
		switch {
		case collected != nil: // its end decides
		case time.Since(lastGC) < time.Second:
			g.interrupt(now, g.limit)
		default:
			collected = make(chan uint64, 1)
			go func(c chan<- uint64) {
				runtime.GC()
				c <- heapBytes()
			}(collected)
		}
	}
}

// interrupt stops every evaluation the heap has grown by more than limit
// since it began.
func (g *heapGuard) interrupt(now, limit uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for vm, base := range g.vms {
		if now > base && now-base > limit {
			vm.Interrupt(reasonHeap)
		}
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
