package redistest

import "syscall"

// sysProcAttr asks Linux to kill the server if the test binary dies
// without running Stop (a panic, a timeout's os.Exit), so no redis-server
// outlives the run.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
