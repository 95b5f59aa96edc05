// The Winsock twins of the calls that hand a socket to a child process,
// through golang.org/x/sys/windows; child_unix.go has the same functions
// over POSIX. The chapter's child_windows.go explains each choice at more
// length.
package main

import (
	"io"
	"os/exec"
	"unsafe"

	"golang.org/x/sys/windows"
)

// fromProtocolInfo is FROM_PROTOCOL_INFO (winsock2.h): WSASocket takes the
// family, type and protocol from the WSAPROTOCOL_INFO it is given.
const fromProtocolInfo = -1

// startChild wraps clone(2) or fork(2), then execve(2), on POSIX (os/exec
// uses clone with CLONE_VM|CLONE_VFORK on Linux), and CreateProcess,
// WSADuplicateSocketW and a write to the child's stdin on Winsock: it
// starts cmd and hands it the socket s, which stays open in this process
// too. Winsock describes s for the child's process id; the child makes its
// own socket from that description, which works only while ours is open.
// (https://learn.microsoft.com/windows/win32/api/winsock2/nf-winsock2-wsaduplicatesocketw)
func startChild(cmd *exec.Cmd, s handle, toChild io.Writer) error {
	if err := cmd.Start(); err != nil {
		return err
	}
	var info windows.WSAProtocolInfo
	if err := windows.WSADuplicateSocket(s, uint32(cmd.Process.Pid), &info); err != nil {
		return err
	}
	_, err := toChild.Write(unsafe.Slice((*byte)(unsafe.Pointer(&info)), unsafe.Sizeof(info)))
	return err
}

// inheritedSocket wraps getsockopt(2) on descriptor 3 on POSIX, and a read
// of WSAPROTOCOL_INFO from stdin and WSASocketW on Winsock: it returns the
// socket the parent handed to this child.
func inheritedSocket(stdin io.Reader) (handle, error) {
	var info windows.WSAProtocolInfo
	if _, err := io.ReadFull(stdin, unsafe.Slice((*byte)(unsafe.Pointer(&info)), unsafe.Sizeof(info))); err != nil {
		return windows.InvalidHandle, err
	}
	return windows.WSASocket(fromProtocolInfo, fromProtocolInfo, fromProtocolInfo,
		&info, 0, windows.WSA_FLAG_OVERLAPPED)
}
