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

// Parse returns at once the error that NewHttpSettings leaves to Validate
// and to the client's calls.
func ExampleParse() {
	for _, raw := range []string{"localhost:8080", "", "http://localhost:8080/api"} {
		s, err := settings.Parse(raw)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s.BaseUrl)
	}
	// Output:
	// settings: base URL "localhost:8080" must be an absolute http(s) URL with a host, such as http://localhost:8080/api (did you mean "http://localhost:8080/api"?)
	// settings: the server URL is empty; want an absolute http(s) URL such as http://localhost:8080/api
	// http://localhost:8080/api
}
