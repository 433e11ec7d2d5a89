package api

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// params reads query parameters the way Spring binds @RequestParam: the first
// value counts, and an empty value is the same as none (the default applies).
// Where Spring fails a conversion with a 500, these return a 400 naming the
// parameter and what it accepts.
type params struct{ v url.Values }

func query(r *http.Request) params { return params{r.URL.Query()} }

// str returns the parameter, "" when absent.
func (p params) str(name string) string { return strings.TrimSpace(p.v.Get(name)) }

// strOr returns the parameter, def when absent or empty.
func (p params) strOr(name, def string) string {
	if s := p.str(name); s != "" {
		return s
	}
	return def
}

// required returns the parameter or a 400 saying it is missing.
func (p params) required(name, example string) (string, error) {
	s := p.str(name)
	if s == "" {
		return "", invalidf("query parameter %s is required, e.g. ?%s=%s", name, name, example)
	}
	return s, nil
}

// intOr returns the integer parameter, def when absent.
func (p params) intOr(name string, def int) (int, error) {
	n, present, err := p.optInt(name)
	if err != nil || !present {
		return def, err
	}
	return n, nil
}

// optInt returns the integer parameter and whether it was given.
func (p params) optInt(name string) (int, bool, error) {
	s := p.str(name)
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, false, invalidf("query parameter %s must be a whole number (32-bit), got %q", name, s)
	}
	return int(n), true, nil
}

// optInt64 returns the 64-bit integer parameter and whether it was given.
func (p params) optInt64(name string) (int64, bool, error) {
	s := p.str(name)
	if s == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false, invalidf("query parameter %s must be a whole number, got %q", name, s)
	}
	return n, true, nil
}

// boolOr returns the boolean parameter, def when absent. It accepts what
// Spring's StringToBooleanConverter accepts: true/false, on/off, yes/no, 1/0,
// in any case.
func (p params) boolOr(name string, def bool) (bool, error) {
	s := p.str(name)
	switch strings.ToLower(s) {
	case "":
		return def, nil
	case "true", "on", "yes", "1":
		return true, nil
	case "false", "off", "no", "0":
		return false, nil
	}
	return false, invalidf("query parameter %s must be true or false, got %q", name, s)
}

// list returns every value of a repeatable parameter, each split at commas
// as Spring binds a List<String> (?status=A,B and ?status=A&status=B agree).
func (p params) list(name string) []string {
	var out []string
	for _, v := range p.v[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// pathInt parses an integer path segment such as a version.
func pathInt(r *http.Request, name string) (int, error) {
	s := strings.TrimSpace(r.PathValue(name))
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, invalidf("path segment {%s} must be a whole number, got %q", name, s)
	}
	return int(n), nil
}
