package ui

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"
)

// funcs are the helpers templates may call.
var funcs = template.FuncMap{
	"when":     when,
	"duration": duration,
	"pretty":   pretty,
	"lower":    func(v any) string { return strings.ToLower(fmt.Sprint(v)) }, // statuses are named string types
}

// parsePages parses each page template with the layout and the shared
// partials: one template set per page, so each may define "content".
func parsePages() map[string]*template.Template {
	base := template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_*.html"))
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		file := path.Base(n)
		if strings.HasPrefix(file, "_") {
			continue
		}
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, n))
		pages[strings.TrimSuffix(file, ".html")] = t
	}
	return pages
}

// when prints an epoch-milliseconds time in UTC, "" for 0.
func when(ms int64) string {
	if ms <= 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format("2006-01-02 15:04:05.000")
}

// duration prints how long from start to end (epoch ms), "" when either
// is unknown.
func duration(start, end int64) string {
	if start <= 0 || end <= 0 || end < start {
		return ""
	}
	return humanDuration(time.Duration(end-start) * time.Millisecond)
}

func humanDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	default:
		return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
	}
}

// pretty prints a value as indented JSON, with <, > and & as they are:
// html/template escapes them for the page.
func pretty(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("(cannot show as JSON: %v)", err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// validationLine prints one failed constraint as the API's
// validationErrors entry says it.
func validationLine(path, msg string, value any) string {
	s := msg
	if path != "" {
		s = path + ": " + msg
	}
	if value != nil && value != "" {
		s += fmt.Sprintf(" (value: %v)", value)
	}
	return s
}
