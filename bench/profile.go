package main

import (
	"os"
	"path/filepath"
	"runtime/pprof"
)

// profileHarness profiles this process (the in-process server of the drain
// runs) until the returned function is called; a no-op without -profile.
func (b *bench) profileHarness(name string) func() {
	if b.opt.profileDir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(b.opt.profileDir, name))
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
