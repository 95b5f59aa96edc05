//go:build unix

// The POSIX twins of the calls that hand a connection to a child process.
// child_windows.go has the same functions, with the same names and comments,
// over Winsock.
package main

import (
	"io"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// How the trace names the hand-over, the stop, and the child's first call
// and its result: SO_TYPE's value, and the number the child's trace gives
// descriptor 3 from then on.
const (
	formatStopChild = "kill(child %d, SIGTERM)"
	nameInherit     = "getsockopt(fd 3, SOL_SOCKET, SO_TYPE)"
	formatInherited = "SOCK_STREAM (fd 3 is %v)"
)

// formatStartChild names the calls that make the child. os/exec does not
// call fork: on Linux, Go makes the new process with clone(2) and
// CLONE_VM|CLONE_VFORK (the child shares our memory and we wait until it
// has called execve; syscall/exec_linux.go, forkAndExecInChild1), which
// strace shows as clone(..., flags=CLONE_VM|CLONE_PIDFD|CLONE_VFORK|SIGCHLD);
// on macOS and the BSDs, with fork(2) (syscall/exec_libc2.go, exec_bsd.go).
var formatStartChild = map[bool]string{
	true:  "clone(CLONE_VM|CLONE_VFORK)+execve(child %d, %v as fd 3)",
	false: "fork+execve(child %d, %v as fd 3)",
}[runtime.GOOS == "linux"]

// parentKeepsCopy says whether the server keeps its copy of a child's
// socket until the child exits: no on POSIX, where the child has its own
// descriptor the moment it starts; yes on Winsock (see startChild).
const parentKeepsCopy = false

// startChild wraps clone(2) or fork(2), then execve(2), on POSIX, and
// CreateProcess, WSADuplicateSocketW and a write to the child's stdin on
// Winsock: it starts cmd, the child that will serve the connected socket s,
// and hands s to it. On POSIX s becomes the child's descriptor 3 (os/exec's
// ExtraFiles): the new process dup2s it onto 3 before execve, and execve
// keeps it because that copy is not close-on-exec. An
// *os.File owns its descriptor and closes it when collected, so we give
// ExtraFiles a duplicate to own and close, and s stays ours to close.
// POSIX needs no stopPipe: see stopChild.
func startChild(cmd *exec.Cmd, s handle) (stopPipe io.Closer, err error) {
	dup, err := unix.FcntlInt(uintptr(s), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(dup), "client")
	defer f.Close()
	cmd.ExtraFiles = []*os.File{f}
	return nil, cmd.Start()
}

// stopChild wraps kill(2) with SIGTERM on POSIX, and CloseHandle on the
// pipe to the child's stdin on Windows: it asks the child to stop. The
// child catches the signal and wakes its own blocked read (sockets.stop).
func stopChild(cmd *exec.Cmd, stopPipe io.Closer) error {
	return cmd.Process.Signal(syscall.SIGTERM)
}

// stopRequests returns a channel that is closed when the server asks this
// child to stop: on POSIX the server sends SIGTERM instead, so it is never
// closed; on Windows, when the server closes our stdin.
func stopRequests(stdin io.Reader) <-chan struct{} {
	return nil
}

// inheritedSocket wraps getsockopt(2) on descriptor 3 on POSIX, and a read of
// WSAPROTOCOL_INFO from stdin and WSASocketW on Winsock: it returns the
// socket the server handed to this child. On POSIX the socket is there
// already; we only check that descriptor 3 is a stream socket.
func inheritedSocket(stdin io.Reader) (handle, error) {
	const fd = 3
	kind, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE)
	if err != nil {
		return -1, err
	}
	if kind != unix.SOCK_STREAM {
		return -1, unix.EPROTOTYPE
	}
	unix.CloseOnExec(fd) // the child starts nothing, but it need not leak it if it did
	return fd, nil
}

// peerAddr wraps getpeername(2) on POSIX and getpeername on Winsock: the
// child learns its client's address from the socket it was handed.
func peerAddr(s handle) (netip.AddrPort, error) {
	sa, err := unix.Getpeername(s)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return addrPort(sa), nil
}
