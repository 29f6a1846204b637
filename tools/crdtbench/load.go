package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// busyWarning returns a warning when the machine's load average says other
// processes compete for the CPUs, or "" (also where there is no
// /proc/loadavg). The benchmark itself keeps about one CPU busy plus GC and
// JIT threads, hence the allowance of one above the CPU count. Both sides
// suffer from competition, but not equally: node's JIT and GC threads and
// Go's GC workers react differently to losing CPUs.
func busyWarning() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	load, err := strconv.ParseFloat(f[0], 64)
	if err != nil || load <= float64(runtime.NumCPU()+1) {
		return ""
	}
	return fmt.Sprintf("warning: load average %.1f on %d CPUs: other processes compete, the figures are noisy", load, runtime.NumCPU())
}
