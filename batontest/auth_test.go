package batontest_test

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

// countTokens counts the token requests that go through it.
type countTokens struct {
	next   http.RoundTripper
	tokens atomic.Int32
}

func (c *countTokens) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Path == "/api/token" {
		c.tokens.Add(1)
	}
	return c.next.RoundTrip(r)
}

// With authentication on, Baton's own client and worker host get tokens with
// their usual key settings and get new ones when the server says theirs
// expired: the fake clock moves past the token's life between two runs.
func TestAuthEndToEnd(t *testing.T) {
	t.Parallel()
	srv := batontest.NewServer(t, batontest.WithAuth(), batontest.WithFakeClock())
	require.True(t, srv.Server().AuthRequired())
	ctx := t.Context()

	def := model.NewWorkflowDef("greet_auth", model.WorkflowTask{
		Name: "greet", TaskReferenceName: "greet_ref", Type: model.TaskTypeSimple,
		InputParameters: map[string]any{"name": "${workflow.input.name}"},
	})
	def.OutputParameters = map[string]any{"greeting": "${greet_ref.output.greeting}"}
	require.NoError(t, srv.Client().Metadata().RegisterWorkflowDef(ctx, def, false))
	require.NoError(t, srv.StartWorker("greet", Greet))

	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	counter := &countTokens{next: tr}
	id, secret := srv.APIKey()
	api, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(srv.URL()), Auth: settings.NewAuthenticationSettings(id, secret),
		HTTPClient: &http.Client{Transport: counter},
	})
	require.NoError(t, err)

	run := func() {
		t.Helper()
		res, err := api.Workflows().Execute(ctx, "greet_auth", 1, &model.StartWorkflowRequest{Input: map[string]any{"name": "Ada"}},
			client.ExecuteOptions{WaitForSeconds: 10})
		require.NoError(t, err)
		require.Equal(t, string(model.WorkflowCompleted), res.Status)
		require.Equal(t, map[string]any{"greeting": "Hello, Ada"}, res.Output)
	}
	run()
	require.Equal(t, int32(1), counter.tokens.Load())
	run()
	require.Equal(t, int32(1), counter.tokens.Load(), "the token is reused")

	srv.Clock().Advance(2 * time.Hour) // every token issued so far has expired
	run()
	require.Equal(t, int32(2), counter.tokens.Load(), "one new token after the server said EXPIRED_TOKEN")

	// Without a token, or with a wrong secret, nothing is served.
	anon := apiClientFor(t, srv.URL(), nil)
	_, err = anon.Metadata().ListTaskDefs(ctx)
	require.ErrorIs(t, err, client.ErrUnauthorized)
	wrong := apiClientFor(t, srv.URL(), settings.NewAuthenticationSettings(id, secret+"x"))
	_, err = wrong.Metadata().ListTaskDefs(ctx)
	require.ErrorIs(t, err, client.ErrUnauthorized)
	require.ErrorContains(t, err, "check the key id and secret")

	// A revoked key's token is refused from its next request, and no new one
	// is issued.
	require.NoError(t, srv.Server().RevokeAPIKey(ctx, id))
	_, err = api.Metadata().ListTaskDefs(ctx)
	require.ErrorIs(t, err, client.ErrUnauthorized)
}

func apiClientFor(t *testing.T, url string, auth *settings.AuthenticationSettings) *client.APIClient {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	c, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(url), Auth: auth, HTTPClient: &http.Client{Transport: tr}})
	require.NoError(t, err)
	return c
}
