package script

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"slices"
	"strconv"

	"github.com/dop251/goja"
)

// maxDepth bounds the nesting of input and result values, as Jackson's
// default StreamWriteConstraints bound what Conductor can write (1000).
const maxDepth = 1000

// toJS builds `$` from input as native JavaScript objects and arrays: a deep
// copy (JavascriptEvaluator copies too), so a script may change `$` freely
// and the caller's maps stay as they were, and so Array methods, Object.keys
// and JSON.stringify behave as on any JavaScript value. Keys are added in
// sorted order: a Go map has none, and a script that reads Object.keys($)
// should see the same order every time. Arrays also answer get(i), as the
// Java Lists Conductor binds do (see listGet).
func toJS(vm *goja.Runtime, input map[string]any) (goja.Value, error) {
	if input == nil {
		return vm.NewObject(), nil
	}
	b := &jsBuilder{vm: vm, get: listGet(vm)}
	return b.value(input, 0)
}

// jsBuilder converts input values for one VM.
type jsBuilder struct {
	vm  *goja.Runtime
	get goja.Value // the VM's listGet, shared by every array
}

func (b *jsBuilder) value(v any, depth int) (goja.Value, error) {
	vm := b.vm
	if depth > maxDepth {
		return nil, &Error{Kind: Runtime, Message: fmt.Sprintf("script input nests deeper than %d levels", maxDepth)}
	}
	switch x := v.(type) {
	case nil:
		return goja.Null(), nil
	case string, bool, int, int8, int16, int32, int64, uint8, uint16, uint32, float32, float64:
		return vm.ToValue(x), nil
	case uint, uint64:
		u := reflect.ValueOf(x).Uint()
		if u <= math.MaxInt64 {
			return vm.ToValue(int64(u)), nil
		}
		return vm.ToValue(float64(u)), nil
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return vm.ToValue(i), nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, &Error{Kind: Runtime, Message: fmt.Sprintf("script input has a number that is not one: %q", x)}
		}
		return vm.ToValue(f), nil
	case map[string]any:
		o := vm.NewObject()
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			e, err := b.value(x[k], depth+1)
			if err != nil {
				return nil, err
			}
			if err := o.Set(k, e); err != nil {
				return nil, err
			}
		}
		return o, nil
	case []any:
		items := make([]any, len(x))
		for i, e := range x {
			jv, err := b.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			items[i] = jv
		}
		arr := vm.NewArray(items...)
		// Not enumerable: for-in, Object.keys, JSON.stringify and the
		// result conversion see a plain array.
		if err := arr.DefineDataProperty("get", b.get, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE); err != nil {
			return nil, err
		}
		return arr, nil
	}
	// Anything else (typed slices and maps, structs) goes through its JSON,
	// as Conductor's input does through Jackson.
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Kind: Runtime, Message: fmt.Sprintf("script input of type %T is not JSON: %v", v, err)}
	}
	var generic any
	if err := jsonUnmarshal(raw, &generic); err != nil {
		return nil, &Error{Kind: Runtime, Message: fmt.Sprintf("script input of type %T is not JSON: %v", v, err)}
	}
	return b.value(generic, depth)
}

// listGet is java.util.List.get(int) for the arrays of `$`. Conductor binds
// its input as Java Maps and Lists that GraalJS exposes with their Java
// methods (ScriptEvaluator's HostAccess.ALL), so scripts written for it call
// $.list.get(i) (DoWhileSpec's do_while_with_decision_task.json). Only get is
// offered: it is the one Conductor's specs and docs use. Like Java, an index
// that is not a whole number or is out of range throws.
func listGet(vm *goja.Runtime) goja.Value {
	return vm.ToValue(func(call goja.FunctionCall) goja.Value {
		list := call.This.ToObject(vm)
		n := list.Get("length").ToInteger()
		arg := call.Argument(0)
		f := arg.ToFloat()
		if f != math.Trunc(f) || math.IsInf(f, 0) {
			panic(vm.NewTypeError("get(%s): the index must be a whole number", arg.String()))
		}
		i := int64(f)
		if i < 0 || i >= n {
			panic(vm.NewGoError(fmt.Errorf("Index %d out of bounds for length %d", i, n))) //nolint:staticcheck // java.util.List.get's message, word for word
		}
		return list.Get(strconv.FormatInt(i, 10))
	})
}

// toGo converts a script's result the way ScriptEvaluator.getObject does:
//
//   - null and undefined are nil;
//   - a number that fits a Java int or long (integral, not -0) is an int64,
//     any other a float64, so 2.0 is 2 and 1.5 stays 1.5; NaN and the
//     infinities become the strings "NaN", "Infinity" and "-Infinity", which
//     is what Jackson writes for a Double NaN (WRITE_NAN_AS_STRINGS);
//   - an array (or typed array) is a []any, holes are nil;
//   - a Map is a map of its entries, keys printed as strings;
//   - every other object, functions, Dates, Sets and errors included, is a
//     map of its own enumerable string keys: a Date or a function is {}.
//     Odd, but it is what GraalJS's getMemberKeys gives Conductor;
//   - a Symbol is {} and a BigInt an int64 when it fits, else a float64.
//
// The JSON size of what is converted is counted as it goes, and the
// conversion stops at limit bytes: a 100 MB string is refused before it
// is copied.
func toGo(v goja.Value, limit int) (any, error) {
	c := converter{left: limit, limit: limit, open: make(map[*goja.Object]struct{})}
	out, err := c.value(v, 0)
	if err != nil {
		return nil, err
	}
	return out, nil
}

type converter struct {
	left, limit int
	open        map[*goja.Object]struct{} // objects being converted, to find cycles
}

func (c *converter) spend(n int) error {
	c.left -= n
	if c.left < 0 {
		return &Error{Kind: OutputTooLarge, Message: fmt.Sprintf(
			"Script result is larger than %d bytes of JSON; return a smaller value", c.limit)}
	}
	return nil
}

func (c *converter) value(v goja.Value, depth int) (any, error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, c.spend(4)
	}
	switch x := v.(type) {
	case *goja.Object:
		return c.object(x, depth)
	case *goja.Symbol:
		return map[string]any{}, c.spend(2) // no members
	}
	switch x := v.Export().(type) {
	case bool:
		return x, c.spend(5)
	case string:
		if err := c.spend(len(x) + 2); err != nil {
			return nil, err
		}
		return x, nil
	case int64:
		return x, c.spend(8)
	case float64:
		return number(x), c.spend(8)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), c.spend(8)
		}
		f, _ := x.Float64()
		return number(f), c.spend(len(x.String()))
	}
	return map[string]any{}, c.spend(2)
}

// number is ScriptEvaluator.getObject's fitsInInt / fitsInLong / asDouble.
func number(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == math.Trunc(f) && f >= -(1<<63) && f < 1<<63 && !(f == 0 && math.Signbit(f)):
		return int64(f)
	}
	return f
}

func (c *converter) object(o *goja.Object, depth int) (any, error) {
	if depth >= maxDepth {
		return nil, &Error{Kind: OutputTooLarge, Message: fmt.Sprintf(
			"Script result nests deeper than %d levels; return a flatter value", maxDepth)}
	}
	if _, ok := c.open[o]; ok {
		return nil, &Error{Kind: OutputTooLarge, Message: "Script result contains itself, which JSON cannot hold; return a copy without the cycle"}
	}
	c.open[o] = struct{}{}
	defer delete(c.open, o)

	if o.ClassName() == "Array" {
		return c.array(o, depth)
	}
	// goja names Maps and typed arrays "Object"; their export types tell.
	switch t := o.ExportType(); {
	case t == mapExport:
		return c.mapEntries(o, depth)
	case t != nil && t.Kind() == reflect.Slice && t.Elem().Kind() >= reflect.Int && t.Elem().Kind() <= reflect.Float64:
		return c.array(o, depth)
	}
	keys := o.Keys()
	m := make(map[string]any, len(keys))
	if err := c.spend(2); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if err := c.spend(len(k) + 4); err != nil {
			return nil, err
		}
		e, err := c.value(o.Get(k), depth+1)
		if err != nil {
			return nil, err
		}
		m[k] = e
	}
	return m, nil
}

var mapExport = reflect.TypeFor[[][2]any]()

func (c *converter) array(o *goja.Object, depth int) (any, error) {
	n := o.Get("length").ToInteger()
	if err := c.spend(2); err != nil {
		return nil, err
	}
	// Every element costs at least a byte and a comma: a huge sparse array
	// is refused here, before a slice for it is made.
	if n < 0 || n > int64(c.left/2) {
		return nil, c.spend(int(min(n, math.MaxInt32)) * 2)
	}
	out := make([]any, n)
	for i := range out {
		if err := c.spend(1); err != nil {
			return nil, err
		}
		e, err := c.value(o.Get(strconv.Itoa(i)), depth+1)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// mapEntries converts a JavaScript Map, which GraalJS offers Conductor as
// hash entries; Jackson then writes each key with its toString.
func (c *converter) mapEntries(o *goja.Object, depth int) (any, error) {
	entries, ok := goja.AssertFunction(o.Get("entries"))
	if !ok {
		return map[string]any{}, c.spend(2)
	}
	it, err := entries(o)
	if err != nil {
		return nil, err
	}
	next, ok := goja.AssertFunction(it.ToObject(nil).Get("next"))
	if !ok {
		return map[string]any{}, c.spend(2)
	}
	m := map[string]any{}
	if err := c.spend(2); err != nil {
		return nil, err
	}
	for {
		r, err := next(it)
		if err != nil {
			return nil, err
		}
		ro, ok := r.(*goja.Object)
		if !ok || ro.Get("done").ToBoolean() {
			return m, nil
		}
		pair, ok := ro.Get("value").(*goja.Object)
		if !ok {
			continue
		}
		k, err := c.value(pair.Get("0"), depth+1)
		if err != nil {
			return nil, err
		}
		e, err := c.value(pair.Get("1"), depth+1)
		if err != nil {
			return nil, err
		}
		m[keyString(k)] = e
	}
}

// keyString prints a converted Map key as Java's toString would.
func keyString(k any) string {
	switch x := k.(type) {
	case nil:
		return "null"
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(k)
	return string(b)
}
