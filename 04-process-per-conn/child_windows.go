// The Winsock twins of the calls that hand a connection to a child process.
// child_unix.go has the same functions, with the same names and comments,
// over POSIX.
package main

import (
	"io"
	"net/netip"
	"os"
	"os/exec"
	"unsafe"

	"golang.org/x/sys/windows"
)

// How the trace names the hand-over, the stop, and the child's first call
// and its result: the socket it made, by the number the child's trace gives
// it.
const (
	formatStopChild = "CloseHandle(child %d's stdin)"
	nameInherit     = "WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info from stdin)"
	formatInherited = "%v"
)

// formatStartChild names the calls that make the child.
var formatStartChild = "CreateProcess+WSADuplicateSocketW(child %d, %v)"

// parentKeepsCopy says whether the server keeps its copy of a child's
// socket until the child exits: no on POSIX, where the child has its own
// descriptor the moment it starts; yes on Winsock (see startChild).
const parentKeepsCopy = true

// fromProtocolInfo is FROM_PROTOCOL_INFO (winsock2.h): WSASocket takes the
// family, type and protocol from the WSAPROTOCOL_INFO it is given.
const fromProtocolInfo = -1

// startChild wraps clone(2) or fork(2), then execve(2), on POSIX, and
// CreateProcess, WSADuplicateSocketW and a write to the child's stdin on
// Winsock: it starts cmd, the child that will serve the connected socket s,
// and hands s to it.
// Windows has no fork. A SOCKET is an inheritable handle (WSASocketW), but
// Winsock's way to share a socket between processes is WSADuplicateSocket:
// the socket then goes through its provider, where a bare handle might not
// work with a layered service provider installed (MSDN, "Socket Handles").
// So we start the child, ask Winsock to describe s for the child's process
// id, and send the description over a pipe. Until the child has made its
// socket from it, ours must stay open, and it cannot tell us when it has;
// so we keep our copy until the child exits. We keep the pipe open too: it
// is how we stop the child (see stopChild), and it is returned as stopPipe.
// (https://learn.microsoft.com/windows/win32/api/winsock2/nf-winsock2-wsaduplicatesocketw)
func startChild(cmd *exec.Cmd, s handle) (stopPipe io.Closer, err error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdin = r
	err = cmd.Start()
	r.Close()
	if err == nil {
		var info windows.WSAProtocolInfo
		err = windows.WSADuplicateSocket(s, uint32(cmd.Process.Pid), &info)
		if err == nil {
			_, err = w.Write(unsafe.Slice((*byte)(unsafe.Pointer(&info)), unsafe.Sizeof(info)))
		}
	}
	if err != nil {
		w.Close() // the child, if it started, reads end-of-file and exits
		return nil, err
	}
	return w, nil
}

// stopChild wraps kill(2) with SIGTERM on POSIX, and CloseHandle on the
// pipe to the child's stdin on Windows: it asks the child to stop. Windows
// has no SIGTERM to send to one process (TerminateProcess would stop it
// dead, mid-send). Nor do we shut down our copy of its socket: that would
// end the child's recv before the child knew it was told to stop, and the
// child would say its client had finished. The child, told, wakes its own
// recv (sockets.stop); end-of-file on stdin reaches the child on any
// Windows, and also if the server dies.
func stopChild(cmd *exec.Cmd, stopPipe io.Closer) error {
	return stopPipe.Close()
}

// stopRequests returns a channel that is closed when the server asks this
// child to stop: on POSIX the server sends SIGTERM instead, so it is never
// closed; on Windows, when the server closes our stdin.
func stopRequests(stdin io.Reader) <-chan struct{} {
	stop := make(chan struct{})
	go func() {
		io.Copy(io.Discard, stdin)
		close(stop)
	}()
	return stop
}

// inheritedSocket wraps getsockopt(2) on descriptor 3 on POSIX, and a read of
// WSAPROTOCOL_INFO from stdin and WSASocketW on Winsock: it returns the
// socket the server handed to this child.
func inheritedSocket(stdin io.Reader) (handle, error) {
	var info windows.WSAProtocolInfo
	if _, err := io.ReadFull(stdin, unsafe.Slice((*byte)(unsafe.Pointer(&info)), unsafe.Sizeof(info))); err != nil {
		return windows.InvalidHandle, err
	}
	return windows.WSASocket(fromProtocolInfo, fromProtocolInfo, fromProtocolInfo,
		&info, 0, windows.WSA_FLAG_OVERLAPPED)
}

// peerAddr wraps getpeername(2) on POSIX and getpeername on Winsock: the
// child learns its client's address from the socket it was handed.
func peerAddr(s handle) (netip.AddrPort, error) {
	sa, err := windows.Getpeername(s)
	if err != nil {
		return netip.AddrPort{}, err
	}
	return addrPort(sa), nil
}
