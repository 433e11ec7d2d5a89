// The official Conductor Go SDK, pinned, in a module of its own so that neither Baton's main module
// nor compat/ depends on it. See ../README.md.
module github.com/batonhq/baton/compat/sdk/go

go 1.26

replace github.com/batonhq/baton => ../../..

require (
	github.com/conductor-sdk/conductor-go v1.5.4
	github.com/sirupsen/logrus v1.8.1
)

require (
	github.com/antihax/optional v1.0.0 // indirect
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.1.2 // indirect
	github.com/golang/protobuf v1.5.2 // indirect
	github.com/matttproud/golang_protobuf_extensions v1.0.1 // indirect
	github.com/patrickmn/go-cache v2.1.0+incompatible // indirect
	github.com/prometheus/client_golang v1.12.1 // indirect
	github.com/prometheus/client_model v0.2.0 // indirect
	github.com/prometheus/common v0.32.1 // indirect
	github.com/prometheus/procfs v0.7.3 // indirect
	golang.org/x/sys v0.6.0 // indirect
	google.golang.org/protobuf v1.26.0 // indirect
)
