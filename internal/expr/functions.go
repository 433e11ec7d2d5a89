package expr

import "math"

// callFunction runs a no-argument Jayway 2.4.0 path function.
func callFunction(name string, model any) (any, error) {
	switch name {
	case "length", "size":
		switch x := model.(type) {
		case []any:
			return len(x), nil
		case map[string]any:
			return len(x), nil
		}
		return nil, nil
	case "concat":
		var s string
		if list, ok := model.([]any); ok {
			for _, v := range list {
				if str, ok := v.(string); ok {
					s += str
				}
			}
		}
		return s, nil
	case "append":
		return model, nil
	case "sum", "min", "max", "avg", "stddev":
		return aggregate(name, model)
	}
	return nil, errInvalid // "Function with name: ... does not exist."
}

// aggregate is Jayway's AbstractAggregation: numbers in a list, as a Double.
// max starts at Double.MIN_VALUE, the smallest positive double, so the max of
// negative numbers is 4.9E-324 in Jayway 2.4.0; we keep that.
func aggregate(name string, model any) (any, error) {
	list, _ := model.([]any)
	var sum, sumSq, lo, hi, n float64 = 0, 0, math.MaxFloat64, math.SmallestNonzeroFloat64, 0
	for _, v := range list {
		if _, isBool := v.(bool); isBool {
			continue
		}
		f, ok := toFloat(v)
		if !ok {
			continue
		}
		n++
		sum += f
		sumSq += f * f
		lo = min(lo, f)
		hi = max(hi, f)
	}
	if n == 0 {
		return nil, errAbort // "Aggregation function attempted to calculate value using empty array"
	}
	switch name {
	case "sum":
		return jdouble(sum), nil
	case "min":
		return jdouble(lo), nil
	case "max":
		return jdouble(hi), nil
	case "avg":
		return jdouble(sum / n), nil
	}
	return jdouble(math.Sqrt(sumSq/n - sum*sum/n/n)), nil
}
