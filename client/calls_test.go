package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
)

// callCase is one call of the public API against a scripted server.
type callCase struct {
	name   string
	script []exchange
	call   func(ctx context.Context, c *client.APIClient) (any, error)
	// want is the call's result when it succeeds.
	want any
	// wantErr, when set, must match the error with errors.Is;
	// wantErrText, when set, must be contained in its text.
	wantErr     error
	wantErrText string
}

// runCalls plays each case against its own fake server.
func runCalls(t *testing.T, cases []callCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := serveScript(t, tc.script...)
			got, err := tc.call(t.Context(), c)
			if tc.wantErr == nil && tc.wantErrText == "" {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			require.Error(t, err)
			if tc.wantErr != nil {
				require.True(t, errors.Is(err, tc.wantErr), "error %q does not match %q", err, tc.wantErr)
			}
			if tc.wantErrText != "" {
				require.ErrorContains(t, err, tc.wantErrText)
			}
		})
	}
}

// none adapts a call that returns only an error.
func none(err error) (any, error) { return nil, err }

// val adapts a call that returns a value and an error; the value is
// returned only without an error, so a failing case compares nothing.
func val[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return v, nil
}
