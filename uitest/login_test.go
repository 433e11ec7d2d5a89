package uitest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
)

// With authentication on, a browser is sent to the login page, logs in with
// a key, lands where it was going, and logs out.
func TestLoginScreen(t *testing.T) {
	t.Parallel()
	b := setup(t, batontest.WithAuth())
	id, secret := b.srv.APIKey()

	b.open(t, "/queues", "#login")
	require.Contains(t, eval[string](t, b, "location.pathname + location.search"), "/login?next=%2Fqueues")
	screenshot(t, b.ctx, "login")

	b.setValue(t, "#key_id", id)
	b.setValue(t, "#key_secret", secret+"x")
	b.click(t, "#login-submit", "#problem")
	require.Contains(t, b.text(t, "#problem"), "wrong key id or secret")
	require.Equal(t, id, eval[string](t, b, `document.querySelector("#key_id").value`), "the id is kept")
	require.Empty(t, eval[string](t, b, `document.querySelector("#key_secret").value`), "the secret is not")

	b.setValue(t, "#key_secret", secret)
	b.click(t, "#login-submit", "#logout")
	require.Equal(t, "/queues", eval[string](t, b, "location.pathname"))
	require.Empty(t, eval[string](t, b, "document.cookie"), "the token cookie is HttpOnly: scripts cannot read it")

	b.click(t, "#logout", "#login")
	b.run(t, chromedp.Navigate(b.base+"/executions"), chromedp.WaitVisible(chromedp.CSS("#login")))
	require.True(t, strings.HasPrefix(eval[string](t, b, "location.pathname"), "/login"), "logged out")
}
