package jq

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"reflect"
)

const maxDepth = 1000

// normalize returns input in the types gojq takes (int, float64, *big.Int,
// json.Number, string, bool, nil, []any, map[string]any), copying only the
// parts that need it; the caller's values are never changed. Anything else
// goes through its JSON, as Conductor's input goes through Jackson
// (objectMapper.valueToTree).
func normalize(input map[string]any) (map[string]any, error) {
	v, err := norm(input, 0)
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	return m, nil
}

func norm(v any, depth int) (any, error) {
	if depth > maxDepth {
		return nil, &Error{Kind: Runtime, Message: fmt.Sprintf("jq input nests deeper than %d levels", maxDepth)}
	}
	switch x := v.(type) {
	case nil, bool, string, int, float64, json.Number, *big.Int:
		return v, nil
	case int8, int16, int32, int64:
		return int(reflect.ValueOf(x).Int()), nil
	case uint8, uint16, uint32, uint, uint64:
		u := reflect.ValueOf(x).Uint()
		if u <= math.MaxInt64 {
			return int(u), nil
		}
		return new(big.Int).SetUint64(u), nil
	case float32:
		return float64(x), nil
	case map[string]any:
		var out map[string]any
		for k, e := range x {
			n, err := norm(e, depth+1)
			if err != nil {
				return nil, err
			}
			if out == nil && !same(n, e) {
				out = make(map[string]any, len(x))
				for k2, e2 := range x {
					out[k2] = e2
				}
			}
			if out != nil {
				out[k] = n
			}
		}
		if out == nil {
			return x, nil
		}
		return out, nil
	case []any:
		var out []any
		for i, e := range x {
			n, err := norm(e, depth+1)
			if err != nil {
				return nil, err
			}
			if out == nil && !same(n, e) {
				out = append([]any(nil), x...)
			}
			if out != nil {
				out[i] = n
			}
		}
		if out == nil {
			return x, nil
		}
		return out, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{Kind: Runtime, Message: fmt.Sprintf("jq input of type %T is not JSON: %v", v, err)}
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var generic any
	if err := d.Decode(&generic); err != nil {
		return nil, &Error{Kind: Runtime, Message: fmt.Sprintf("jq input of type %T is not JSON: %v", v, err)}
	}
	return norm(generic, depth)
}

// same reports whether norm returned e itself. Maps and slices come back as
// themselves when nothing inside needed changing.
func same(n, e any) bool {
	switch x := e.(type) {
	case map[string]any:
		y, ok := n.(map[string]any)
		return ok && reflect.ValueOf(x).UnsafePointer() == reflect.ValueOf(y).UnsafePointer()
	case []any:
		y, ok := n.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case nil, bool, string, int, float64, json.Number, *big.Int:
		return true
	}
	return false
}

// converter turns gojq's values into the task output's, as
// JsonJqTransform.extractBody does: integers as int64, other numbers as
// float64, counting the JSON size as it goes.
type converter struct {
	left, limit int
}

func (c *converter) spend(n int) error {
	c.left -= n
	if c.left < 0 {
		return &Error{Kind: OutputTooLarge, Message: fmt.Sprintf(
			"jq result is larger than %d bytes of JSON; select less data", c.limit)}
	}
	return nil
}

func (c *converter) value(v any, depth int) (any, error) {
	if depth > maxDepth {
		return nil, &Error{Kind: OutputTooLarge, Message: fmt.Sprintf("jq result nests deeper than %d levels", maxDepth)}
	}
	switch x := v.(type) {
	case nil:
		return nil, c.spend(4)
	case bool:
		return x, c.spend(5)
	case string:
		return x, c.spend(len(x) + 2)
	case int:
		return int64(x), c.spend(8)
	case float64:
		return float(x), c.spend(8)
	case *big.Int:
		if x.IsInt64() {
			return x.Int64(), c.spend(8)
		}
		f, _ := x.Float64()
		return f, c.spend(len(x.String()))
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, c.spend(len(x))
		}
		f, _ := x.Float64()
		return float(f), c.spend(len(x))
	case []any:
		if err := c.spend(2 + len(x)); err != nil {
			return nil, err
		}
		out := make([]any, len(x))
		for i, e := range x {
			o, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = o
		}
		return out, nil
	case map[string]any:
		if err := c.spend(2); err != nil {
			return nil, err
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			if err := c.spend(len(k) + 4); err != nil {
				return nil, err
			}
			o, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = o
		}
		return out, nil
	}
	return nil, &Error{Kind: Runtime, Message: fmt.Sprintf("jq returned a value of type %T", v)}
}

// float writes NaN and the infinities as Jackson does (WRITE_NAN_AS_STRINGS):
// encoding/json cannot write them at all.
func float(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return f
}
