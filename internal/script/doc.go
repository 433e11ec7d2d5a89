// Package script is the JavaScript sandbox for Conductor's script
// expressions: INLINE and LAMBDA tasks, SWITCH with evaluatorType
// "javascript" or "graaljs", DO_WHILE's loopCondition. It runs them in goja
// with a time limit, a call-stack limit, a bound on the size of the result
// and guards against scripts that build huge values.
//
// What matches Conductor OSS 3.32.1 on purpose:
//
//   - `$` is a deep copy of the input: changing it changes nothing outside
//     (JavascriptEvaluator, GraalJSEvaluator). Here it is made of native
//     JavaScript objects and arrays, so Array methods work on lists as they do
//     on GraalJS's host lists. Its arrays also answer get(i), the Java List
//     method Conductor's scripts call on them (see listGet).
//   - Every evaluation gets a fresh VM, so `const x` at the top level works on
//     every call and globals never leak between workflows (ScriptEvaluator
//     keeps its Context pool off by default for the same reason). Compiled
//     programs are cached, 1024 at most, emptied when full (ScriptEvaluator's
//     Source cache).
//   - The result is converted as ScriptEvaluator.getObject does; see toGo.
//     In short: 2.0 is int64(2), 1.5 is float64, undefined is nil, a function
//     or a Date is an empty map, NaN is the string "NaN" (Jackson's default).
//   - Error messages are ScriptEvaluator's: "Error evaluating the script
//     `TypeError: ...` at line N" for a throw or a syntax error, "Script not
//     evaluated within 4 seconds, interrupted." for a timeout. Error.Terminal
//     says which of them Inline fails with FAILED_WITH_TERMINAL_ERROR.
//   - The default time limit is 4s (CONDUCTOR_SCRIPT_MAX_EXECUTION_SECONDS).
//   - No console, load, print, require or timers: ScriptEvaluator turns off
//     js.load, js.print and js.console, and a goja runtime has no I/O at all.
//
// Where Baton differs, deliberately: a result larger than MaxOutputSize, a
// result that contains itself, and a script that grows the heap past
// MaxHeapGrowth fail with an *Error; Conductor has no such limits and would
// run out of memory or overflow its stack.
//
// goja runs its builtins as Go loops that no interrupt reaches, so limits
// are checked before the big ones run: Array methods and Array.from refuse
// arrays longer than MaxArrayLength, repeat, padStart, padEnd, replace and
// replaceAll refuse results longer than MaxStringLength, and binary buffers
// (ArrayBuffer, typed arrays) are absent. Known gaps: spreading or
// JSON.stringify-ing a huge sparse array ([...Array(1e7)]) still runs in Go
// past the time limit, stopped only by the heap guard once it returns.
//
// A cancelled context stops a running script too; Eval then returns the
// context's error, not an *Error, since the script did nothing wrong.
package script
