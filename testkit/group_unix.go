//go:build unix

package testkit

import (
	"os"
	"syscall"
)

// ownGroup starts a command in a process group of its own, so that
// killGroup ends it with every program it started.
func ownGroup() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// killGroup kills the process group that p leads.
func killGroup(p *os.Process) error { return syscall.Kill(-p.Pid, syscall.SIGKILL) }
