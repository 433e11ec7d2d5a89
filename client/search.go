package client

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/batonhq/baton/model"
)

// SearchOptions select and page search results (GET /api/workflow/search,
// GET /api/tasks/search).
type SearchOptions struct {
	// Start is the offset of the first result. Defaults to 0.
	Start int
	// Size is the most results to return. Zero leaves the server's default
	// (100); Conductor serves at most 5000 workflows per page
	// (WorkflowService.searchWorkflows).
	Size int
	// Sort orders the results; each entry is "field:ASC" or "field:DESC",
	// e.g. "startTime:DESC". Empty leaves the server's order.
	Sort []string
	// FreeText matches any field. Empty leaves the server's default ("*").
	FreeText string
	// Query filters on fields, e.g.
	// "workflowType = 'orders' AND status IN (RUNNING,FAILED)".
	Query string
}

// query checks o and encodes it.
func (o SearchOptions) query(op string) (url.Values, error) {
	switch {
	case o.Start < 0:
		return nil, fmt.Errorf("conductor: %s: Start %d must not be negative", op, o.Start)
	case o.Size < 0:
		return nil, fmt.Errorf("conductor: %s: Size %d must not be negative", op, o.Size)
	}
	for _, s := range o.Sort {
		// Conductor splits the sort parameter on "|" (Utils.convertStringToList).
		if s == "" || strings.Contains(s, "|") {
			return nil, fmt.Errorf("conductor: %s: sort entry %q must be one field:ASC or field:DESC", op, s)
		}
	}
	q := url.Values{}
	if o.Start > 0 {
		q.Set("start", strconv.Itoa(o.Start))
	}
	if o.Size > 0 {
		q.Set("size", strconv.Itoa(o.Size))
	}
	if len(o.Sort) > 0 {
		q.Set("sort", strings.Join(o.Sort, "|"))
	}
	setIf(q, "freeText", o.FreeText)
	setIf(q, "query", o.Query)
	return q, nil
}

// searchResult sends a search and returns its page, with Results never nil.
func searchResult[T any](ctx context.Context, c *APIClient, r request) (*model.SearchResult[T], error) {
	res, err := call[model.SearchResult[T]](ctx, c, r)
	if err != nil {
		return nil, err
	}
	if res.Results == nil {
		res.Results = []T{}
	}
	return res, nil
}
