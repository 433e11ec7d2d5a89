package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// machine describes where the benchmark ran.
type machine struct {
	Cores     int
	MemGiB    float64
	CPU       string
	Kernel    string
	GoVer     string
	JDK       string
	Load      [3]string // load average at the start of the run
	LoadEnd   [3]string
	Started   time.Time
	Baton     string // baton version output
	Command   string
	Conductor string // Conductor version and how it ran
	Postgres  string // the PostgreSQL of conductor-pg, when it ran
}

func readMachine() machine {
	m := machine{Cores: runtime.NumCPU(), GoVer: runtime.Version(), Started: time.Now()}
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var kb float64
			if n, _ := fmt.Sscanf(sc.Text(), "MemTotal: %f kB", &kb); n == 1 {
				m.MemGiB = kb / (1 << 20)
			}
		}
		f.Close()
	}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	m.Load = loadAvg()
	return m
}

func loadAvg() [3]string {
	var l [3]string
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return l
	}
	f := strings.Fields(string(b))
	for i := 0; i < 3 && i < len(f); i++ {
		l[i] = f[i]
	}
	return l
}

// javaVersion returns the first line of `java -version` for the JDK that
// conductor.sh picks, or "" when there is none.
func javaVersion(ctx context.Context, script string) string {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "bash", script, "java").Output()
	if err != nil {
		return ""
	}
	java := strings.TrimSpace(string(out))
	v, err := exec.CommandContext(ctx, java, "-version").CombinedOutput()
	if err != nil {
		return java
	}
	lines := strings.Split(strings.TrimSpace(string(v)), "\n")
	return strings.TrimSpace(lines[0]) + " — " + strings.TrimSpace(lines[len(lines)-1]) + " (" + java + ")"
}
