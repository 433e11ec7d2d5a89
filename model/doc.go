// Package model holds Conductor's wire types: tasks, task results, task and
// workflow definitions, workflows, requests and the small shapes the REST API
// answers with.
//
// Every type encodes to the same JSON as Conductor OSS 3.32 (Jackson with
// NON_NULL inclusion): camelCase field names, epoch-millisecond times,
// primitive fields always present, null fields left out and empty collections
// kept when they are set. Maps and slices use the omitzero tag so that a nil
// map is left out (Java's null) while an empty one is sent as {} or [].
//
// The package imports only the standard library, so any program can use it
// without pulling in a client or a server.
package model
