package main

import "golang.org/x/sys/windows"

// nameReuse is the option setReuseAddr sets, as the trace names it.
const nameReuse = "SO_EXCLUSIVEADDRUSE"

// soExclusiveAddrUse is SO_EXCLUSIVEADDRUSE, ((int)(~SO_REUSEADDR)) in
// winsock2.h; x/sys/windows does not name it.
const soExclusiveAddrUse = ^windows.SO_REUSEADDR

// setReuseAddr wraps setsockopt(2) with SO_REUSEADDR on POSIX and setsockopt
// with SO_EXCLUSIVEADDRUSE on Winsock: the option each system's server sets
// before bind. Winsock's SO_REUSEADDR means something else: any other socket
// that sets it may bind the same port and take our clients. Windows already
// lets a server bind over TIME_WAIT; SO_EXCLUSIVEADDRUSE makes sure nobody
// else can bind it (https://learn.microsoft.com/windows/win32/winsock/using-so-reuseaddr-and-so-exclusiveaddruse).
func setReuseAddr(s handle) error {
	return windows.SetsockoptInt(s, windows.SOL_SOCKET, soExclusiveAddrUse, 1)
}
