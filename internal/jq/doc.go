// Package jq runs JSON_JQ_TRANSFORM queries with gojq, as Conductor's
// JsonJqTransform runs them with jackson-jq.
//
// What matches Conductor OSS 3.32.1 on purpose (json-jq-task,
// JsonJqTransform):
//
//   - The query runs once on the task input; "result" is its first value
//     (nil when there is none) and "resultList" all of them, [] when none.
//   - Compiled queries are cached, 1000 by default (JsonJqTransform's
//     Caffeine cache has maximumSize 1000).
//   - Integers come back as int64, other numbers as float64
//     (JsonJqTransform.extractBody's asLong / asDouble); NaN and the
//     infinities come back as the strings Jackson writes for them.
//
// Where Baton differs: error messages are gojq's ("expected an object but
// got: string (\"abc\")"), not jackson-jq's ("Cannot index string with
// string \"array\""), which name the same mistake differently; a compile error
// says so in front. Queries have no access to the environment ($ENV is {}),
// to input/inputs or to modules; a query runs under a time limit (4s by
// default) and its output under a size limit (1 MiB of JSON by default), where
// Conductor has none.
package jq
