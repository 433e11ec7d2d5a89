package expr

import "testing"

// BenchmarkResolve resolves a typical task's inputParameters: ten keys of
// plain references, a nested map, text around expressions and literals.
func BenchmarkResolve(b *testing.B) {
	doc := decode(b, `{
		"workflow": {
			"input": {"orderId": "o-1842", "amount": 129.9, "customer": {"id": "c-7", "name": "Ada", "tier": "gold"},
				"items": [{"sku": "A1", "qty": 2}, {"sku": "B2", "qty": 1}]},
			"workflowId": "wf-91c", "correlationId": "corr-5", "status": "RUNNING", "variables": {}
		},
		"fetch_order": {"output": {"items": [{"sku": "A1", "qty": 2, "price": 40}, {"sku": "B2", "qty": 1, "price": 49.9}], "status": 200},
			"status": "COMPLETED"}
	}`)
	params := map[string]any{
		"orderId":  "${workflow.input.orderId}",
		"amount":   "${workflow.input.amount}",
		"customer": "${workflow.input.customer}",
		"items":    "${fetch_order.output.items}",
		"firstSku": "${fetch_order.output.items[0].sku}",
		"message":  "Order ${workflow.input.orderId} for ${workflow.input.customer.name}",
		"taskId":   "${CPEWF_TASK_ID}",
		"currency": "EUR",
		"retries":  3.0,
		"headers":  map[string]any{"X-Correlation-Id": "${workflow.correlationId}", "Accept": "application/json"},
	}
	opts := Options{TaskID: "task-1"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Resolve(params, doc, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolveFilter is the slower path: a filter compiled and run per call.
func BenchmarkResolveFilter(b *testing.B) {
	doc := pathDoc(b)
	params := map[string]any{"cheap": "${store.book[?(@.price < 10 && @.tags)].title}"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Resolve(params, doc, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
