package testkit

import (
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// ownGroup starts a command in a process group of its own (see
// group_unix.go); on Windows a new console group.
func ownGroup() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// killGroup kills p and every program it started: taskkill /T ends the
// process tree.
func killGroup(p *os.Process) error {
	if exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(p.Pid)).Run() != nil {
		return p.Kill()
	}
	return nil
}
