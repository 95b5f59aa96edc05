// ioctlsocket is the call that turns a Winsock socket non-blocking, and
// x/sys/windows does not have it (Go's own sockets on Windows use
// overlapped I/O and never need it), so this file loads it from ws2_32.dll
// and names its FIONBIO command.
package main

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

var procIoctlsocket = ws2_32.NewProc("ioctlsocket")

// fionbio is FIONBIO, _IOW('f', 126, u_long) in winsock2.h.
const fionbio = 0x8004667e

// ioctlsocket makes the call int ioctlsocket(SOCKET s, long cmd, u_long *argp)
// (https://learn.microsoft.com/windows/win32/api/winsock/nf-winsock-ioctlsocket).
func ioctlsocket(s handle, cmd uint32, argp *uint32) error {
	r, _, errno := syscall.SyscallN(procIoctlsocket.Addr(), uintptr(s),
		uintptr(cmd), uintptr(unsafe.Pointer(argp)))
	if int32(r) == socketError {
		return windows.Errno(errno)
	}
	return nil
}
