package client_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// authServer is a Conductor that requires a token: POST /api/token answers
// with tokenAnswer(n) for the n-th fetch (1-based); other requests succeed
// when accept says their X-Authorization is good, and get a 401 otherwise.
type authServer struct {
	t           *testing.T
	srv         *httptest.Server
	tokenAnswer func(n int, r *http.Request) (status int, body string)
	accept      func(tok string) bool

	fetches atomic.Int32
	calls   atomic.Int32
	mu      sync.Mutex
	seen    []string // X-Authorization of each API request
}

func newAuthServer(t *testing.T, tokenAnswer func(n int, r *http.Request) (int, string), accept func(string) bool) *authServer {
	t.Helper()
	a := &authServer{t: t, tokenAnswer: tokenAnswer, accept: accept}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

func (a *authServer) serve(w http.ResponseWriter, r *http.Request) {
	t := a.t
	if r.URL.Path == "/api/token" {
		n := int(a.fetches.Add(1))
		body, _ := io.ReadAll(r.Body)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.JSONEq(t, `{"keyId":"key-id","keySecret":"key-secret"}`, string(body))
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		assert.Empty(t, r.Header.Get("X-Authorization"), "the token request carries no token")
		status, answer := a.tokenAnswer(n, r)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
		return
	}
	a.calls.Add(1)
	tok := r.Header.Get("X-Authorization")
	a.mu.Lock()
	a.seen = append(a.seen, tok)
	a.mu.Unlock()
	if !a.accept(tok) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"status":401,"message":"Token expired","retryable":false}`)
		return
	}
	_, _ = io.WriteString(w, `{"taskId":"t1"}`)
}

func (a *authServer) client(t *testing.T) *client.APIClient {
	t.Helper()
	c, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(a.srv.URL + "/api"),
		Auth: settings.NewAuthenticationSettings("key-id", "key-secret"),
	})
	require.NoError(t, err)
	return c
}

func (a *authServer) seenTokens() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.seen...)
}

// tokens answers fetch n with {"token": names[n-1]} (the last name repeats).
func tokens(names ...string) func(int, *http.Request) (int, string) {
	return func(n int, _ *http.Request) (int, string) {
		return http.StatusOK, fmt.Sprintf(`{"token":%q}`, names[min(n, len(names))-1])
	}
}

func acceptAll(string) bool { return true }

// jwt builds an unsigned JWT with the given iat and exp (0 leaves a claim out).
func jwt(iat, exp int64) string {
	enc := base64.RawURLEncoding.EncodeToString
	claims := `{"sub":"app"`
	if iat != 0 {
		claims += fmt.Sprintf(`,"iat":%d`, iat)
	}
	if exp != 0 {
		claims += fmt.Sprintf(`,"exp":%d`, exp)
	}
	return enc([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + enc([]byte(claims+"}")) + ".c2ln"
}

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func get(t *testing.T, c *client.APIClient) {
	t.Helper()
	task, err := c.Tasks().Get(t.Context(), "t1")
	require.NoError(t, err)
	require.Equal(t, "t1", task.TaskId)
}

func TestTokenIsFetchedOnceAndReused(t *testing.T) {
	t.Parallel()
	a := newAuthServer(t, tokens("tok-1"), acceptAll)
	c := a.client(t)
	for range 3 {
		get(t, c)
	}
	require.EqualValues(t, 1, a.fetches.Load())
	require.Equal(t, []string{"tok-1", "tok-1", "tok-1"}, a.seenTokens())
}

func TestTokenRenewal(t *testing.T) {
	t.Parallel()
	start := time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
	unix := start.Unix()
	cases := []struct {
		name  string
		token string
		// reuseUntil is the last moment (after the fetch) the token is
		// reused; a second later it is fetched again.
		reuseUntil time.Duration
	}{
		{"JWT lifetime from iat to exp, less the 1 min margin", jwt(unix, unix+3600), 59 * time.Minute},
		{"JWT from a server whose clock is a day behind", jwt(unix-86400, unix-86400+3600), 59 * time.Minute},
		{"JWT with exp only", jwt(0, unix+600), 9 * time.Minute},
		{"short-lived JWT is reused for half its life", jwt(unix, unix+90), 45 * time.Second},
		{"opaque token lives 30 min", "opaque-token", 29 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newAuthServer(t, tokens(tc.token), acceptAll)
			c := a.client(t)
			clock := &fakeClock{now: start}
			client.SetTokenClock(c, clock.Now)

			get(t, c)
			require.EqualValues(t, 1, a.fetches.Load())
			clock.Advance(tc.reuseUntil - time.Second)
			get(t, c)
			require.EqualValues(t, 1, a.fetches.Load(), "reused before renewal is due")
			clock.Advance(2 * time.Second)
			get(t, c)
			require.EqualValues(t, 2, a.fetches.Load(), "fetched again once renewal is due")
			get(t, c)
			require.EqualValues(t, 2, a.fetches.Load(), "the new token is reused")
		})
	}
}

func TestExpiredJWTIsUsedOnceThenFetchedAgain(t *testing.T) {
	t.Parallel()
	start := time.Date(2030, 5, 1, 12, 0, 0, 0, time.UTC)
	a := newAuthServer(t, tokens(jwt(0, start.Unix()-10)), acceptAll)
	c := a.client(t)
	client.SetTokenClock(c, (&fakeClock{now: start}).Now)
	get(t, c)
	get(t, c)
	require.EqualValues(t, 2, a.fetches.Load())
}

func TestTokenRefreshedOnceAfter401(t *testing.T) {
	t.Parallel()
	a := newAuthServer(t, tokens("stale", "fresh"), func(tok string) bool { return tok == "fresh" })
	c := a.client(t)
	get(t, c)
	require.EqualValues(t, 2, a.fetches.Load())
	require.Equal(t, []string{"stale", "fresh"}, a.seenTokens())
	get(t, c)
	require.EqualValues(t, 2, a.fetches.Load(), "the fresh token is kept")
}

func TestTokenRefusedAfterRefreshIsErrUnauthorized(t *testing.T) {
	t.Parallel()
	a := newAuthServer(t, tokens("t1", "t2", "t3"), func(string) bool { return false })
	c := a.client(t)
	_, err := c.Tasks().Get(t.Context(), "t1")
	require.ErrorIs(t, err, client.ErrUnauthorized)
	require.ErrorContains(t, err, "401 Unauthorized: Token expired")
	require.EqualValues(t, 2, a.fetches.Load(), "one refresh, no more")
	require.Equal(t, []string{"t1", "t2"}, a.seenTokens())
}

func TestConcurrentFirstCallsFetchOneToken(t *testing.T) {
	t.Parallel()
	const callers = 20
	release := make(chan struct{})
	a := newAuthServer(t, func(n int, r *http.Request) (int, string) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		return http.StatusOK, `{"token":"shared"}`
	}, acceptAll)
	c := a.client(t)
	var waiting atomic.Int32
	client.SetTokenWaitHook(c, func() {
		if waiting.Add(1) == callers-1 {
			close(release) // everyone but the fetching caller is waiting
		}
	})
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			_, err := c.Tasks().Get(t.Context(), "t1")
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	require.EqualValues(t, 1, a.fetches.Load())
	require.EqualValues(t, callers, a.calls.Load())
	require.EqualValues(t, callers-1, waiting.Load())
	for _, tok := range a.seenTokens() {
		require.Equal(t, "shared", tok)
	}
}

func TestFailedTokenFetchSendsNoRequest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		body   string
		want   string
		is     error
	}{
		{"401 for a wrong key", 401, `{"status":401,"message":"Invalid key","retryable":false}`,
			"conductor: POST /token: 401 Unauthorized: Invalid key (check the key id and secret)", client.ErrUnauthorized},
		{"500", 500, `{"status":500,"message":"boom","retryable":true}`, "500 Internal Server Error: boom", nil},
		{"no token in the answer", 200, `{}`, "conductor: POST /token: the answer has no token", nil},
		{"empty answer", 200, ``, "conductor: POST /token: the answer has no token", nil},
		{"malformed answer", 200, `{"token":`, "conductor: POST /token: malformed answer", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newAuthServer(t, func(int, *http.Request) (int, string) { return tc.status, tc.body }, acceptAll)
			c := a.client(t)
			for range 2 {
				_, err := c.Tasks().Get(t.Context(), "t1")
				require.ErrorContains(t, err, tc.want)
				if tc.is != nil {
					require.ErrorIs(t, err, tc.is)
				}
			}
			require.EqualValues(t, 0, a.calls.Load(), "no request went out without a token")
			require.EqualValues(t, 2, a.fetches.Load(), "a failure is not cached: the next call tries again")
		})
	}
}

func TestTokenServerUnreachableSendsNoRequest(t *testing.T) {
	t.Parallel()
	srv := hangingServer(t)
	c, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(srv.URL + "/api"),
		Auth: settings.NewAuthenticationSettings("k", "s"),
	})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), time.Millisecond)
	defer cancel()
	_, err = c.Tasks().Get(ctx, "t1")
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "conductor: POST /token: ")
}

func TestWaitersRetryWhenTheFetchingCallerGivesUp(t *testing.T) {
	t.Parallel()
	firstFetch := make(chan struct{})
	a := newAuthServer(t, func(n int, r *http.Request) (int, string) {
		if n == 1 {
			close(firstFetch)
			<-r.Context().Done() // hang until the fetching caller gives up
			return http.StatusServiceUnavailable, ``
		}
		return http.StatusOK, `{"token":"second"}`
	}, acceptAll)
	c := a.client(t)
	waiting := make(chan struct{}, 1)
	client.SetTokenWaitHook(c, func() { waiting <- struct{}{} })

	leaderCtx, cancelLeader := context.WithCancel(t.Context())
	leaderErr := make(chan error, 1)
	go func() {
		_, err := c.Tasks().Get(leaderCtx, "t1")
		leaderErr <- err
	}()
	<-firstFetch
	waiterErr := make(chan error, 1)
	go func() {
		_, err := c.Tasks().Get(t.Context(), "t1")
		waiterErr <- err
	}()
	<-waiting
	cancelLeader()
	require.ErrorIs(t, <-leaderErr, context.Canceled)
	require.NoError(t, <-waiterErr, "the waiter fetched a token itself")
	require.EqualValues(t, 2, a.fetches.Load())
	require.Equal(t, []string{"second"}, a.seenTokens())
}

func TestWaiterContextEndsItsWait(t *testing.T) {
	t.Parallel()
	firstFetch, release := make(chan struct{}), make(chan struct{})
	a := newAuthServer(t, func(n int, r *http.Request) (int, string) {
		close(firstFetch)
		<-release
		return http.StatusOK, `{"token":"tok"}`
	}, acceptAll)
	c := a.client(t)
	waiting := make(chan struct{}, 1)
	client.SetTokenWaitHook(c, func() { waiting <- struct{}{} })

	leaderErr := make(chan error, 1)
	go func() {
		_, err := c.Tasks().Get(t.Context(), "t1")
		leaderErr <- err
	}()
	<-firstFetch
	ctx, cancel := context.WithCancel(t.Context())
	waiterErr := make(chan error, 1)
	go func() {
		_, err := c.Tasks().Get(ctx, "t1")
		waiterErr <- err
	}()
	<-waiting
	cancel()
	err := <-waiterErr
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorContains(t, err, "conductor: wait for token")
	close(release)
	require.NoError(t, <-leaderErr)
	require.EqualValues(t, 1, a.fetches.Load())
	require.EqualValues(t, 1, a.calls.Load())
}

func TestTokenIsNotForwardedToAnotherHost(t *testing.T) {
	t.Parallel()
	other := make(chan string, 1)
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		other <- r.Header.Get("X-Authorization")
		_, _ = io.WriteString(w, `{"taskId":"t1"}`)
	}))
	t.Cleanup(elsewhere.Close)
	a := newAuthServer(t, tokens("secret-token"), acceptAll)
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/token" {
			a.srv.Config.Handler.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirect.Close)
	c, err := client.NewAPIClientWithConfig(client.Config{
		HTTP: settings.NewHttpSettings(redirect.URL + "/api"),
		Auth: settings.NewAuthenticationSettings("key-id", "key-secret"),
	})
	require.NoError(t, err)
	get(t, c)
	require.Empty(t, <-other, "the token stays with the configured server")
	require.EqualValues(t, 1, a.fetches.Load())
}
