// Package expr resolves Conductor's ${...} input expressions.
//
// A workflow definition wires tasks together with strings such as
// "${workflow.input.orderId}" or "${fetch_ref.output.items[?(@.qty > 0)].sku}".
// Resolve replaces every such expression in a task's inputParameters with the
// value it names in a context document, the way Conductor's ParametersUtils
// does with Jayway JsonPath 2.4.0 and Option.SUPPRESS_EXCEPTIONS.
//
// What matches Conductor on purpose (checked against its source and, through an
// out-of-tree harness, against Jayway 2.4.0 itself):
//
//   - A string that is exactly one ${...} yields the typed value (number, bool,
//     map, list, nil). In mixed text each value is written as Java's
//     Objects.toString would: nil as "null", a map as {a=1, b=x}, a list as
//     [1, x]. A list produced by a wildcard, filter or deep scan is Jayway's
//     JSONArray, which prints itself as JSON: ["a","b"].
//   - Expressions nest and resolve inside-out: ${map.${key}[${idx}]}.
//   - $${x} is the literal ${x}; the unescaping runs over the whole result.
//   - Expressions are found the way ParametersUtils.PATTERN finds them, quirks
//     included (see scan.go).
//   - ${CPEWF_TASK_ID} is the task's id; an exact name that the environment
//     knows wins over the document (EnvUtils.isEnvironmentVariable);
//     ${workflow.secrets.NAME} is left as written for a later hand-off.
//   - A missing path is nil, never an error; an indefinite path (wildcard,
//     filter, deep scan, slice, several indexes) is always a list.
//
// Where Baton differs, deliberately:
//
//   - A malformed expression is a *SyntaxError. Conductor logs it and
//     substitutes null, which hides typos.
//   - Function arguments (sum(1, $.x)) are not supported; no-argument
//     functions are: length, size, sum, min, max, avg, stddev, concat, append.
//   - ${workflow.env.NAME}, which Conductor 3.32 reads from its
//     EnvironmentDAO, is an ordinary path into the document here.
//   - Go maps have no order, so a map printed inside text, and the results of a
//     wildcard over a map or a deep scan, come in sorted key order where
//     Conductor keeps the JSON document's order.
//   - A float64 that holds an integer prints as an integer (Jackson would have
//     read "2" as an Integer). Use json.Number in the document to keep the
//     difference between 2 and 2.0.
package expr
