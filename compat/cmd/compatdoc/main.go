package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/batonhq/baton/compat/scenario"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "compatdoc:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("compatdoc", flag.ContinueOnError)
	results := fs.String("results", os.Getenv("COMPAT_OUT"), "compat/run.sh's output directory (env COMPAT_OUT)")
	docFile := fs.String("doc", "../docs/compatibility.md", "the document to update in place")
	compatDir := fs.String("compat", ".", "the compat directory (golden traces, allowlist, SDK pins)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *results == "" {
		return fmt.Errorf("say where the results are: -results DIR or COMPAT_OUT=DIR (compat/run.sh's output directory)")
	}
	in, err := load(*results, *compatDir)
	if err != nil {
		return err
	}
	old, err := os.ReadFile(*docFile)
	if err != nil {
		return fmt.Errorf("read the document: %w", err)
	}
	doc, err := merge(old, map[string]string{
		"summary":   renderSummary(in, scenario.All()),
		"allowlist": renderAllowlist(in),
	})
	if err != nil {
		return fmt.Errorf("%s: %w", *docFile, err)
	}
	if bytes.Equal(doc, old) {
		return nil
	}
	return os.WriteFile(*docFile, doc, 0o644)
}

// merge replaces the text between each block's begin and end markers.
func merge(doc []byte, blocks map[string]string) ([]byte, error) {
	s := string(doc)
	for _, name := range []string{"summary", "allowlist"} {
		begin := "<!-- compatdoc:begin " + name + " -->\n"
		end := "<!-- compatdoc:end " + name + " -->"
		i := strings.Index(s, begin)
		j := strings.Index(s, end)
		if i < 0 || j < i || strings.Count(s, begin) != 1 || strings.Count(s, end) != 1 {
			return nil, fmt.Errorf("needs exactly one %q line and, after it, one %q line around the generated %s; "+
				"add them where the %s belongs (nothing was written)", strings.TrimSpace(begin), end, name, name)
		}
		s = s[:i+len(begin)] + blocks[name] + s[j:]
	}
	return []byte(s), nil
}
