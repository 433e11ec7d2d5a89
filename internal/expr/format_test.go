package expr

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFormatNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   any
		want string
	}{
		{in: 2.0, want: "2"}, // Jackson reads "2" as an Integer
		{in: math.Copysign(0, -1), want: "0"},
		{in: 2.5, want: "2.5"},
		{in: 1e20, want: "100000000000000000000"},
		{in: 1e21, want: "1.0E21"},
		{in: 0.001, want: "0.001"},
		{in: 0.0001, want: "1.0E-4"},
		{in: 1234567.5, want: "1234567.5"},
		{in: 12345678.5, want: "1.23456785E7"},
		{in: math.SmallestNonzeroFloat64, want: "4.9E-324"},
		{in: jdouble(3), want: "3.0"},
		{in: jdouble(1e7), want: "1.0E7"},
		{in: json.Number("2.0"), want: "2.0"},
		{in: json.Number("1e2"), want: "100.0"},
		{in: json.Number("12345678901234567890"), want: "12345678901234567890"},
		{in: 7, want: "7"},
		{in: int64(-7), want: "-7"},
		{in: float32(0.5), want: "0.5"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, formatNumber(tt.in), "%#v", tt.in)
	}
}

func TestWriteJavaAndSmartJSON(t *testing.T) {
	t.Parallel()
	v := map[string]any{
		"s": `a/b "q" \ é` + "\u007f\u2028\t",
		"l": []any{1.0, nil, true, map[string]any{}},
		"n": 1.5,
	}
	var java, smart strings.Builder
	writeJava(&java, v)
	writeSmartJSON(&smart, v)
	require.Equal(t, "{l=[1, null, true, {}], n=1.5, s=a/b \"q\" \\ é\u007f\u2028\t}", java.String())
	require.Equal(t, `{"l":[1,null,true,{}],"n":1.5,"s":"a\/b \"q\" \\ é\u007F\u2028\t"}`, smart.String())
}
