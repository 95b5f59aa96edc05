//go:build unix

// The POSIX twins of the calls that hand a socket to a child process,
// through golang.org/x/sys/unix; child_windows.go has the same functions
// over Winsock. The chapter's child_unix.go explains each choice at more
// length.
package main

import (
	"io"
	"os"
	"os/exec"

	"golang.org/x/sys/unix"
)

// startChild wraps clone(2) or fork(2), then execve(2), on POSIX (os/exec
// uses clone with CLONE_VM|CLONE_VFORK on Linux), and CreateProcess,
// WSADuplicateSocketW and a write to the child's stdin on Winsock: it
// starts cmd and hands it the socket s, which stays open in this process
// too. On POSIX s becomes the child's descriptor 3 (ExtraFiles). An
// *os.File closes its descriptor, so we give it a duplicate of s to own.
func startChild(cmd *exec.Cmd, s handle, toChild io.Writer) error {
	dup, err := unix.FcntlInt(uintptr(s), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(dup), "socket")
	defer f.Close()
	cmd.ExtraFiles = []*os.File{f}
	return cmd.Start()
}

// inheritedSocket wraps getsockopt(2) on descriptor 3 on POSIX, and a read
// of WSAPROTOCOL_INFO from stdin and WSASocketW on Winsock: it returns the
// socket the parent handed to this child. On POSIX it is there already; we
// only check that descriptor 3 is a socket.
func inheritedSocket(stdin io.Reader) (handle, error) {
	const fd = 3
	if _, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE); err != nil {
		return -1, err
	}
	return fd, nil
}
