//go:build unix

// The socket the model opens, on POSIX: socket(2), as in every chapter.
// opensocket_windows.go is its twin, the seed's WSASocket.
package main

import "golang.org/x/sys/unix"

// nameSocket is the call openSocket makes, as the trace prints it.
const nameSocket = "socket(%s, SOCK_STREAM, IPPROTO_TCP)"

// openSocket wraps socket(2) on POSIX and WSASocket with
// WSA_FLAG_OVERLAPPED on Winsock: a socket that takes overlapped I/O.
func openSocket(family int) (handle, error) {
	return unix.Socket(family, unix.SOCK_STREAM, unix.IPPROTO_TCP)
}
