package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/batontest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunAgainstBaton(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t)
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), srv.Client(), &out))
	require.Equal(t, `registered baton_example_charge and baton_example_order
started 3 workflows
terminated 2, failed 0
order-1: COMPLETED, receipt rcpt-1
order-2: TERMINATED
order-3: TERMINATED
order-1 by correlation id: task charge COMPLETED by example-ops
`, out.String())

	// A second run registers over the same definitions and still works.
	out.Reset()
	require.NoError(t, run(t.Context(), srv.Client(), &out))
	require.Contains(t, out.String(), "order-1: COMPLETED")
}
