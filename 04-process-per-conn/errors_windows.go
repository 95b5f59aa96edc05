// Winsock's error codes by their names in winsock2.h, with the wording of
// their POSIX twins, so a reader sees the same words on both systems and the
// name tells which system spoke. FormatMessage would give Windows' longer
// sentences, which change with the language of the system.
package main

import (
	"errors"
	"strconv"

	"golang.org/x/sys/windows"
)

var winsockErrors = map[windows.Errno][2]string{
	windows.WSAEINTR:                {"WSAEINTR", "interrupted system call"},
	windows.WSAEBADF:                {"WSAEBADF", "bad file descriptor"},
	windows.WSAEACCES:               {"WSAEACCES", "permission denied"},
	windows.WSAEFAULT:               {"WSAEFAULT", "bad address"},
	windows.WSAEINVAL:               {"WSAEINVAL", "invalid argument"},
	windows.WSAEMFILE:               {"WSAEMFILE", "too many open files"},
	windows.WSAEWOULDBLOCK:          {"WSAEWOULDBLOCK", "resource temporarily unavailable"},
	windows.WSAEINPROGRESS:          {"WSAEINPROGRESS", "operation now in progress"},
	windows.WSAEALREADY:             {"WSAEALREADY", "operation already in progress"},
	windows.WSAENOTSOCK:             {"WSAENOTSOCK", "socket operation on non-socket"},
	windows.WSAEMSGSIZE:             {"WSAEMSGSIZE", "message too long"},
	windows.WSAEAFNOSUPPORT:         {"WSAEAFNOSUPPORT", "address family not supported by protocol"},
	windows.WSAEADDRINUSE:           {"WSAEADDRINUSE", "address already in use"},
	windows.WSAEADDRNOTAVAIL:        {"WSAEADDRNOTAVAIL", "cannot assign requested address"},
	windows.WSAENETDOWN:             {"WSAENETDOWN", "network is down"},
	windows.WSAENETUNREACH:          {"WSAENETUNREACH", "network is unreachable"},
	windows.WSAECONNABORTED:         {"WSAECONNABORTED", "software caused connection abort"},
	windows.WSAECONNRESET:           {"WSAECONNRESET", "connection reset by peer"},
	windows.WSAENOBUFS:              {"WSAENOBUFS", "no buffer space available"},
	windows.WSAEISCONN:              {"WSAEISCONN", "transport endpoint is already connected"},
	windows.WSAENOTCONN:             {"WSAENOTCONN", "transport endpoint is not connected"},
	windows.WSAESHUTDOWN:            {"WSAESHUTDOWN", "cannot send after transport endpoint shutdown"},
	windows.WSAETIMEDOUT:            {"WSAETIMEDOUT", "connection timed out"},
	windows.WSAECONNREFUSED:         {"WSAECONNREFUSED", "connection refused"},
	windows.WSAEHOSTUNREACH:         {"WSAEHOSTUNREACH", "no route to host"},
	windows.WSANOTINITIALISED:       {"WSANOTINITIALISED", "WSAStartup has not been called"},
	windows.WSAHOST_NOT_FOUND:       {"WSAHOST_NOT_FOUND", "no such host"},
	windows.WSATRY_AGAIN:            {"WSATRY_AGAIN", "temporary failure in name resolution"},
	windows.WSANO_DATA:              {"WSANO_DATA", "no address associated with hostname"},
	windows.WSATYPE_NOT_FOUND:       {"WSATYPE_NOT_FOUND", "service not found"},
	windows.ERROR_NOT_ENOUGH_MEMORY: {"WSA_NOT_ENOUGH_MEMORY", "not enough memory"},
	windows.ERROR_OPERATION_ABORTED: {"WSA_OPERATION_ABORTED", "operation aborted"},

	// Wine passes on a getaddrinfo error of glibc's it does not translate as
	// it is (addrinfo_err_from_unix in its dlls/ws2_32/unix.c): -9, glibc's
	// EAI_ADDRFAMILY, for an IPv6 address with AF_INET hints. Windows has
	// no such code.
	eaiAddrFamilyUnderWine: {"EAI_ADDRFAMILY", "address family for hostname not supported"},
}

const eaiAddrFamilyUnderWine = windows.Errno(0xFFFFFFF7) // -9 as GetAddrInfoW's unsigned result

// errnoName returns the symbolic name and the message of an OS error:
// "WSAEADDRINUSE" and "address already in use".
func errnoName(err error) (name, message string, ok bool) {
	var errno windows.Errno
	if !errors.As(err, &errno) {
		return "", "", false
	}
	if known, found := winsockErrors[errno]; found {
		return known[0], known[1], true
	}
	return "error " + strconv.Itoa(int(errno)), errno.Error(), true
}
