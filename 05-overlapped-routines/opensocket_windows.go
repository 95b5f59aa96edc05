// The socket the model opens, on Winsock: the seed's WSASocket with
// WSA_FLAG_OVERLAPPED, the socket that WSARecv, WSASend and AcceptEx take
// with a WSAOVERLAPPED. opensocket_unix.go is its twin, socket(2).
// https://learn.microsoft.com/windows/win32/api/winsock2/nf-winsock2-wsasocketw
package main

import "golang.org/x/sys/windows"

// nameSocket is the call openSocket makes, as the trace prints it.
const nameSocket = "WSASocket(%s, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED)"

// openSocket wraps socket(2) on POSIX and WSASocket with
// WSA_FLAG_OVERLAPPED on Winsock: a socket that takes overlapped I/O.
func openSocket(family int) (handle, error) {
	return windows.WSASocket(int32(family), windows.SOCK_STREAM, windows.IPPROTO_TCP,
		nil, 0, windows.WSA_FLAG_OVERLAPPED)
}
