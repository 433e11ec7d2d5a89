package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"

	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/server"
)

func defGroup() group {
	return group{name: "def", summary: "List, read, register and validate workflow and task definitions.", cmds: []clientCmd{
		{name: "list", synopsis: "[--tasks]", summary: "list workflow definitions (or task definitions)", maxArgs: 0, setup: defList},
		{name: "get", synopsis: "NAME [--version N] [--task]", summary: "print a workflow definition (or task definition) as JSON",
			minArgs: 1, maxArgs: 1, setup: defGet},
		{name: "register", synopsis: "-f FILE [--overwrite]",
			summary: "register the workflow definition, or task definitions, in FILE", maxArgs: 0, setup: defRegister},
		{name: "validate", synopsis: "-f FILE",
			summary: "check the definitions in FILE locally, with the rules Baton's server applies; nothing is sent", maxArgs: 0,
			offline: true, setup: defValidate},
	}}
}

func defList(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	tasks := fs.Bool("tasks", false, "list task definitions instead")
	return func(ctx context.Context, c *cli, _ []string) error {
		if *tasks {
			defs, err := c.client.Metadata().ListTaskDefs(ctx)
			if err != nil {
				return err
			}
			if c.json {
				return c.printJSON(defs)
			}
			tw := c.table()
			fmt.Fprintln(tw, "NAME\tRETRIES\tTIMEOUT\tRESPONSE TIMEOUT\tCONCURRENCY\tDESCRIPTION")
			for _, d := range defs {
				limit := "-"
				if d.ConcurrentExecLimit != nil && *d.ConcurrentExecLimit > 0 {
					limit = strconv.Itoa(*d.ConcurrentExecLimit)
				}
				fmt.Fprintf(tw, "%s\t%d\t%ds\t%ds\t%s\t%s\n", d.Name, d.RetryCount, d.TimeoutSeconds, d.ResponseTimeoutSeconds,
					limit, orDash(d.Description))
			}
			return tw.Flush()
		}
		defs, err := c.client.Metadata().ListWorkflowDefs(ctx)
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(defs)
		}
		tw := c.table()
		fmt.Fprintln(tw, "NAME\tVERSION\tTASKS\tDESCRIPTION")
		for _, d := range defs {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", d.Name, d.Version, len(d.Tasks), orDash(d.Description))
		}
		return tw.Flush()
	}
}

// defGet prints JSON with or without --json: a definition is a document,
// and JSON is what register reads back.
func defGet(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	version := fs.Int("version", 0, "workflow definition `version`; 0 means the latest")
	task := fs.Bool("task", false, "get the task definition NAME instead")
	return func(ctx context.Context, c *cli, args []string) error {
		if *task {
			d, err := c.client.Metadata().GetTaskDef(ctx, args[0])
			if err != nil {
				return err
			}
			return c.printJSON(d)
		}
		d, err := c.client.Metadata().GetWorkflowDef(ctx, args[0], *version)
		if err != nil {
			return err
		}
		return c.printJSON(d)
	}
}

// defFile is the content of a definitions file: one workflow definition
// (an object with "tasks"), or task definitions (an array of them, or one
// object without "tasks").
type defFile struct {
	raw      []byte
	workflow *model.WorkflowDef
	tasks    []model.TaskDef
}

func (f *defFile) describe() string {
	if f.workflow != nil {
		return fmt.Sprintf("workflow definition %s version %d", f.workflow.Name, f.workflow.Version)
	}
	names := make([]string, len(f.tasks))
	for i, t := range f.tasks {
		names[i] = t.Name
	}
	return fmt.Sprintf("%d task definition(s): %s", len(f.tasks), strings.Join(names, ", "))
}

// readDefFile reads and decodes path; any problem is a usage error (exit 2)
// that names the line and column of malformed JSON.
func readDefFile(path string) (*defFile, error) {
	if path == "" {
		return nil, usagef("-f FILE is required")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	f := &defFile{raw: b}
	trimmed := bytes.TrimSpace(b)
	var probe any
	if err := json.Unmarshal(trimmed, &probe); err != nil {
		return nil, usagef("%s: malformed JSON: %s", path, jsonErrorAt(trimmed, b, err))
	}
	// Decode onto Conductor's defaults, as the server does, so a field the
	// file leaves out is not sent as an explicit zero (retryCount 0 for 3).
	switch v := probe.(type) {
	case []any:
		var raws []json.RawMessage
		if err = json.Unmarshal(trimmed, &raws); err == nil {
			f.tasks, err = decodeTaskDefs(raws)
		}
	case map[string]any:
		if _, ok := v["tasks"]; ok {
			f.workflow = model.DecodableWorkflowDef()
			err = json.Unmarshal(trimmed, f.workflow)
		} else {
			f.tasks, err = decodeTaskDefs([]json.RawMessage{trimmed})
		}
	default:
		return nil, usagef("%s: want a workflow definition (a JSON object with \"tasks\") or task definitions (an array)", path)
	}
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	return f, nil
}

func decodeTaskDefs(raws []json.RawMessage) ([]model.TaskDef, error) {
	defs := make([]model.TaskDef, len(raws))
	for i, raw := range raws {
		d := model.NewTaskDef("")
		if err := json.Unmarshal(raw, d); err != nil {
			return nil, fmt.Errorf("task definition %d: %w", i, err)
		}
		defs[i] = *d
	}
	return defs, nil
}

// jsonErrorAt adds the line and column to a JSON syntax error.
func jsonErrorAt(trimmed, full []byte, err error) string {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err.Error()
	}
	off := int(se.Offset) + bytes.Index(full, trimmed)
	line := 1 + bytes.Count(full[:min(off, len(full))], []byte("\n"))
	col := off - bytes.LastIndexByte(full[:min(off, len(full))], '\n')
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}

func defRegister(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	file := fs.String("f", "", "definitions `FILE` (JSON)")
	overwrite := fs.Bool("overwrite", false, "replace a workflow definition of the same name and version, or an existing task definition")
	return func(ctx context.Context, c *cli, _ []string) error {
		f, err := readDefFile(*file)
		if err != nil {
			return err
		}
		switch {
		case f.workflow != nil && *overwrite:
			_, err = c.client.Metadata().UpdateWorkflowDefs(ctx, *f.workflow)
		case f.workflow != nil:
			err = c.client.Metadata().RegisterWorkflowDef(ctx, f.workflow, false)
		case *overwrite:
			for i := range f.tasks {
				if err = c.client.Metadata().UpdateTaskDef(ctx, &f.tasks[i]); err != nil {
					break
				}
			}
		default:
			err = c.client.Metadata().RegisterTaskDefs(ctx, f.tasks...)
		}
		if err != nil {
			return err
		}
		if c.json {
			return c.printJSON(registered(f))
		}
		_, err = fmt.Fprintf(c.stdout, "registered %s\n", f.describe())
		return err
	}
}

// defSummary is register's and validate's --json answer.
type defSummary struct {
	Kind    string                  `json:"kind"` // "workflow" or "task"
	Names   []string                `json:"names"`
	Version int                     `json:"version,omitempty"`
	Valid   bool                    `json:"valid"`
	Errors  []model.ValidationError `json:"errors,omitempty"`
}

func registered(f *defFile) defSummary {
	if f.workflow != nil {
		return defSummary{Kind: "workflow", Names: []string{f.workflow.Name}, Version: f.workflow.Version, Valid: true}
	}
	s := defSummary{Kind: "task", Names: make([]string, len(f.tasks)), Valid: true}
	for i, t := range f.tasks {
		s.Names[i] = t.Name
	}
	return s
}

// defValidate checks FILE with Baton's own server code: it starts a
// throwaway in-memory server in this process (no listener, nothing sent
// anywhere) and posts the file to POST /api/metadata/workflow/validate, or
// registers task definitions in that throwaway database. The checks are
// therefore exactly those Baton's server applies when it decodes and
// validates a definition (required fields, enums, unique reference names,
// task-type rules, ${...} expressions, forks followed by joins). What only
// the target server knows is not checked: whether the name and version
// exist already, and rules particular to Conductor OSS or Orkes.
func defValidate(fs *flag.FlagSet) func(context.Context, *cli, []string) error {
	file := fs.String("f", "", "definitions `FILE` (JSON)")
	return func(ctx context.Context, c *cli, _ []string) error {
		f, err := readDefFile(*file)
		if err != nil {
			return err
		}
		problems, err := validateLocally(ctx, f)
		if err != nil {
			return err
		}
		s := registered(f)
		s.Valid, s.Errors = len(problems) == 0, problems
		if c.json {
			if err := c.printJSON(s); err != nil {
				return err
			}
		} else if s.Valid {
			fmt.Fprintf(c.stdout, "%s: valid %s\n", *file, f.describe())
		} else {
			tw := c.table()
			fmt.Fprintln(tw, "PATH\tPROBLEM")
			for _, p := range problems {
				fmt.Fprintf(tw, "%s\t%s\n", orDash(p.Path), p.Message)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
		if !s.Valid {
			return &stateError{msg: fmt.Sprintf("%s: %d problem(s) in %s", *file, len(problems), f.describe())}
		}
		return nil
	}
}

// validateLocally runs f through a private in-memory server's handler and
// returns the validation errors it answers with.
func validateLocally(ctx context.Context, f *defFile) ([]model.ValidationError, error) {
	srv, err := server.New(&server.Config{DBPath: server.MemoryDB, DisableMetrics: true})
	if err != nil {
		return nil, fmt.Errorf("start the local validator: %w", err)
	}
	defer func() { _ = srv.Stop(context.Background()) }()
	path := "/api/metadata/workflow/validate"
	body := f.raw
	if f.workflow == nil {
		path = "/api/metadata/taskdefs"
		if trimmed := bytes.TrimSpace(f.raw); !bytes.HasPrefix(trimmed, []byte("[")) {
			// One object becomes the list the endpoint wants, its own
			// bytes kept: the server checks explicit zeros.
			body = append(append([]byte("["), trimmed...), ']')
		}
	}
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code/100 == 2 {
		return nil, nil
	}
	var er model.ErrorResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &er); err != nil {
		return nil, fmt.Errorf("local validator answered %d: %s", rec.Code, rec.Body.String())
	}
	if len(er.ValidationErrors) > 0 {
		return er.ValidationErrors, nil
	}
	return []model.ValidationError{{Message: er.Message}}, nil
}
