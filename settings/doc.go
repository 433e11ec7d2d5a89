// Package settings holds where a Conductor server is and how to authenticate
// to it, built in code (NewHttpSettings, NewAuthenticationSettings) or read
// from the environment (FromEnv) with the variable names Conductor's SDKs use.
//
// # A malformed server URL
//
// The server URL must be an absolute http or https URL with a host, such as
// http://localhost:8080/api. NewHttpSettings keeps the signature of
// Conductor's SDK, so it cannot return an error; a URL without a scheme or
// host ("localhost:8080", "", "ftp://x") is instead reported
//
//   - by Parse and Validate, which return it;
//   - by client.NewAPIClient, which logs it on stderr at once and returns it
//     from every call of the client;
//   - by worker.NewWorkerHostWithApiClient's StartWorker and WaitWorkers,
//     which return it.
//
// FromEnv returns it too, naming the variable.
package settings
