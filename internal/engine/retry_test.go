package engine

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/model"
)

func TestRetryDelaySeconds(t *testing.T) {
	t.Parallel()
	def := func(logic model.RetryLogic, delay, scale, cap int) *model.TaskDef {
		return &model.TaskDef{RetryLogic: logic, RetryDelaySeconds: delay, BackoffScaleFactor: scale, MaxRetryDelaySeconds: cap}
	}
	cases := []struct {
		name       string
		def        *model.TaskDef
		retryCount int
		want       int32
	}{
		{"fixed", def(model.RetryFixed, 60, 1, 0), 0, 60},
		{"fixed ignores the attempt", def(model.RetryFixed, 60, 1, 0), 7, 60},
		{"fixed capped", def(model.RetryFixed, 60, 1, 30), 0, 30},
		{"linear first", def(model.RetryLinearBackoff, 10, 2, 0), 0, 20},
		{"linear third", def(model.RetryLinearBackoff, 10, 2, 0), 2, 60},
		{"linear capped", def(model.RetryLinearBackoff, 10, 2, 45), 2, 45},
		{"linear overflow saturates", def(model.RetryLinearBackoff, math.MaxInt32/2, 3, 0), 0, math.MaxInt32},
		{"exponential first", def(model.RetryExponentialBackoff, 5, 1, 0), 0, 5},
		{"exponential fourth", def(model.RetryExponentialBackoff, 5, 1, 0), 3, 40},
		{"exponential capped", def(model.RetryExponentialBackoff, 5, 1, 100), 10, 100},
		// Java's int arithmetic: 5 × (int)2^40 = 5 × MaxInt wraps to a positive
		// 2147483643, kept; 3 × 2^30 wraps negative and becomes MaxInt.
		{"exponential positive wrap is kept", def(model.RetryExponentialBackoff, 5, 1, 0), 40, 2147483643},
		{"exponential negative wrap saturates", def(model.RetryExponentialBackoff, 3, 1, 0), 30, math.MaxInt32},
		{"zero delay", def(model.RetryExponentialBackoff, 0, 1, 0), 5, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, retryDelaySeconds(tc.def, tc.retryCount))
		})
	}
}
