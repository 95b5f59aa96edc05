package testkit

import (
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// interruptible starts a program in a process group of its own, so that a
// console control event can be sent to it alone.
func interruptible() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
}

// interruptProcess sends CTRL_BREAK_EVENT, which Go programs receive as
// os.Interrupt (CTRL_C_EVENT cannot be sent to another process group).
func interruptProcess(p *os.Process) error {
	return windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(p.Pid))
}
