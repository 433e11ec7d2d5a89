package ui

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/batonhq/baton/internal/auth"
	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/model"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Service is what the UI needs from the engine: the same calls the API
// makes. *engine.Engine implements it.
type Service interface {
	SearchWorkflows(ctx context.Context, req engine.SearchRequest) (*model.SearchResult[*model.Workflow], error)
	GetWorkflow(ctx context.Context, workflowID string, includeTasks bool) (*model.Workflow, error)
	TaskLogs(ctx context.Context, taskID string) ([]model.TaskExecLog, error)

	Terminate(ctx context.Context, workflowID, reason string) error
	Pause(ctx context.Context, workflowID string) error
	Resume(ctx context.Context, workflowID string) error
	Restart(ctx context.Context, workflowID string, useLatestDefinitions bool) error
	Retry(ctx context.Context, workflowID string, resumeSubworkflowTasks bool) error
	Rerun(ctx context.Context, workflowID string, req *model.RerunWorkflowRequest) (string, error)
	SkipTask(ctx context.Context, workflowID, taskRefName string, req *model.SkipTaskRequest) error
	UpdateTask(ctx context.Context, result *model.TaskResult) error

	GetWorkflowDef(ctx context.Context, name string, version int) (*model.WorkflowDef, error)
	ListWorkflowDefs(ctx context.Context) ([]*model.WorkflowDef, error)
	GetTaskDef(ctx context.Context, name string) (*model.TaskDef, error)
	ListTaskDefs(ctx context.Context) ([]*model.TaskDef, error)

	QueueSizes(ctx context.Context) (map[string]int, error)
	AllPollData(ctx context.Context) ([]model.PollData, error)
}

// Config configures the UI handler.
type Config struct {
	// API is the REST API handler. The UI saves definitions through it and
	// hands it every request for a path the UI does not serve (/api/...,
	// /health, unknown paths), so that the UI can be mounted at / in front
	// of the API. Required.
	API http.Handler
	// Logger receives server faults met while rendering a page. Defaults
	// to a logger that discards everything.
	Logger *slog.Logger
	// RefreshInterval is how often the page of a running execution
	// refreshes itself. Defaults to 2s.
	RefreshInterval time.Duration
	// MaxBodyBytes bounds a form's body. Defaults to 8 MiB.
	MaxBodyBytes int64
	// Auth, when set, adds the login page (GET and POST /login) and POST
	// /logout; the auth guard in front of the UI sends browsers without a
	// token there. Defaults to nil: no login.
	Auth *auth.Auth
}

// WithDefaults returns a copy of c with zero fields filled in.
func (c Config) WithDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	c.RefreshInterval = cmp.Or(c.RefreshInterval, 2*time.Second)
	c.MaxBodyBytes = cmp.Or(c.MaxBodyBytes, 8<<20)
	return c
}

// csp allows scripts, styles and fetches from this origin only: no inline
// script or event handler, no inline style attribute, no framing.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Handler serves the UI. Build it with NewHandler.
type Handler struct {
	svc   Service
	cfg   Config
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// NewHandler returns the UI on svc, falling back to cfg.API for the paths
// it does not serve. It panics if svc or cfg.API is nil or a template does
// not parse, programming errors.
func NewHandler(svc Service, cfg Config) http.Handler {
	if svc == nil || cfg.API == nil {
		panic("ui: NewHandler needs a Service and Config.API")
	}
	h := &Handler{svc: svc, cfg: cfg.WithDefaults(), pages: parsePages(), mux: http.NewServeMux()}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	// Same-origin check on every form that changes something (Sec-Fetch-Site,
	// or Origin against Host): a page elsewhere cannot post them.
	cop := http.NewCrossOriginProtection()
	post := func(pattern string, fn pageFunc) {
		h.mux.Handle(pattern, cop.Handler(h.page(fn)))
	}
	h.mux.Handle("GET /{$}", http.RedirectHandler("/executions", http.StatusFound))
	h.mux.Handle("GET /static/", h.secure(http.StripPrefix("/static/", http.FileServerFS(static))))
	h.mux.Handle("GET /executions", h.page(h.executions))
	h.mux.Handle("GET /executions/{id}", h.page(h.execution))
	post("POST /executions/{id}/{action}", h.executionAction)
	h.mux.Handle("GET /definitions", h.page(h.definitions))
	h.mux.Handle("GET /definitions/workflow/{name}", h.page(h.workflowDef))
	h.mux.Handle("GET /definitions/new/workflow", h.page(h.newWorkflowDef))
	post("POST /definitions/workflow", h.saveWorkflowDef)
	h.mux.Handle("GET /definitions/task/{name}", h.page(h.taskDef))
	h.mux.Handle("GET /definitions/new/task", h.page(h.newTaskDef))
	post("POST /definitions/task", h.saveTaskDef)
	h.mux.Handle("GET /queues", h.page(h.queues))
	if cfg.Auth != nil {
		h.mux.Handle("GET /login", h.page(h.loginPage))
		post("POST /login", h.login)
		post("POST /logout", h.logout)
	}
	h.mux.Handle("/", cfg.API)
	return h
}

// ServeHTTP serves a UI page, or hands the request to the API.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// view is what a page handler returns: the template to render with its
// data, or a redirect.
type view struct {
	status   int    // 200 unless set
	page     string // template name, e.g. "executions"
	title    string
	nav      string // the top menu entry to mark
	data     any
	refresh  time.Duration // reload the live part this often; 0 = never
	redirect string        // answer 303 to this URL instead
	cookie   *http.Cookie  // set on the answer
}

type pageFunc func(r *http.Request) (*view, error)

// layoutData is what every page's layout sees.
type layoutData struct {
	Title   string
	Nav     string
	Refresh int64 // milliseconds; 0 = none
	Auth    bool  // the server requires a login: offer to log out
	Data    any
}

// secure adds the headers every UI answer carries.
func (h *Handler) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// page adapts a pageFunc: it renders the view into a buffer first, so a
// template fault becomes a clean 500 rather than half a page.
func (h *Handler) page(fn pageFunc) http.Handler {
	return h.secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxBodyBytes)
		}
		v, err := fn(r)
		if err != nil {
			v = h.errorView(r, err)
		}
		if v.cookie != nil {
			http.SetCookie(w, v.cookie)
		}
		if v.redirect != "" {
			http.Redirect(w, r, v.redirect, http.StatusSeeOther)
			return
		}
		t, ok := h.pages[v.page]
		if !ok {
			h.cfg.Logger.Error("ui: no such page template", "page", v.page)
			http.Error(w, "ui: internal error", http.StatusInternalServerError)
			return
		}
		var buf bytes.Buffer
		data := layoutData{Title: v.title, Nav: v.nav, Refresh: v.refresh.Milliseconds(), Auth: h.cfg.Auth != nil && v.page != "login", Data: v.data}
		if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
			h.cfg.Logger.Error("ui: render page", "page", v.page, "path", r.URL.Path, "err", err)
			http.Error(w, "ui: internal error rendering the page", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(cmp.Or(v.status, http.StatusOK))
		_, _ = w.Write(buf.Bytes())
	}))
}

// problem is an error as a page shows it: the server's message and, for a
// validation failure, each failed constraint.
type problem struct {
	Status  int
	Message string
	Details []string
}

// problemOf turns an engine error into the status and message the API
// would answer with; any other error is a server fault, logged.
func (h *Handler) problemOf(r *http.Request, err error) *problem {
	var e *engine.Error
	if !errors.As(err, &e) || e.Kind == engine.KindInternal {
		h.cfg.Logger.Error("ui: serve page", "method", r.Method, "path", r.URL.Path, "err", err)
		return &problem{Status: http.StatusInternalServerError, Message: "internal error: " + err.Error()}
	}
	p := &problem{Status: e.Status, Message: e.Error()}
	if p.Status == 0 {
		p.Status = map[engine.Kind]int{engine.KindInvalid: http.StatusBadRequest, engine.KindNotFound: http.StatusNotFound,
			engine.KindConflict: http.StatusConflict, engine.KindUnavailable: http.StatusServiceUnavailable}[e.Kind]
		p.Status = cmp.Or(p.Status, http.StatusInternalServerError)
	}
	for _, v := range e.ValidationErrors {
		p.Details = append(p.Details, validationLine(v.Path, v.Message, v.InvalidValue))
	}
	return p
}

func (h *Handler) errorView(r *http.Request, err error) *view {
	p := h.problemOf(r, err)
	return &view{status: p.Status, page: "error", title: "Error", data: p}
}

// badInput is a mistake in what a person typed into a form: a 400 whose
// message says what to change.
func badInput(format string, args ...any) error {
	return engine.Errorf(engine.KindInvalid, format, args...)
}

func notFound(format string, args ...any) error {
	return engine.Errorf(engine.KindNotFound, format, args...)
}
