// Package wfbuilder holds the differential test of Baton's workflow
// builder against conductor-go v1.5.4's: the same program written with
// both, the definitions' JSON compared. It needs no server.
package wfbuilder
