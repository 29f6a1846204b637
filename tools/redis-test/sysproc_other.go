//go:build !linux

package redistest

import "syscall"

// sysProcAttr has no parent-death signal to offer outside Linux; Stop is
// the only way the server ends there.
func sysProcAttr() *syscall.SysProcAttr { return nil }
