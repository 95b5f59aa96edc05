//go:build unix

package testkit

import (
	"os"
	"syscall"
)

// interruptible starts a program as usual: SIGINT reaches it by its pid.
func interruptible() *syscall.SysProcAttr { return nil }

// interruptProcess sends SIGINT, what Ctrl-C sends. Wine turns it into the
// CTRL_C_EVENT a Windows console program receives.
func interruptProcess(p *os.Process) error { return p.Signal(os.Interrupt) }
