package settings_test

import (
	"fmt"

	"github.com/batonhq/baton/settings"
)

func ExampleNewHttpSettings() {
	httpSettings := settings.NewHttpSettings("http://localhost:8080/api/")
	fmt.Println(httpSettings.BaseUrl)
	// Output: http://localhost:8080/api
}

func ExampleFromLookup() {
	env := map[string]string{"CONDUCTOR_SERVER_URL": "http://conductor:8080/api", "CONDUCTOR_CLIENT_HTTP_TIMEOUT": "10"}
	h, auth, err := settings.FromLookup(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	fmt.Println(h.BaseUrl, h.Timeout, auth.IsEmpty(), err)
	// Output: http://conductor:8080/api 10s true <nil>
}
