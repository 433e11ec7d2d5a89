// Package settings holds where a Conductor server is and how to authenticate
// to it, built in code (NewHttpSettings, NewAuthenticationSettings) or read
// from the environment (FromEnv) with the variable names Conductor's SDKs use.
package settings
