package main

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

// TestICMPOnLinux shows what the README says of the ICMP "port
// unreachable" on Linux: a datagram sent to a port where nobody listens
// makes the next receive fail with ECONNREFUSED on a connected socket, and
// on an unconnected one only if IP_RECVERR is set (ip(7)); without it, as
// this chapter's client has it, the receive just times out.
func TestICMPOnLinux(t *testing.T) {
	for _, c := range []struct {
		name             string
		connect, recverr bool
		want             error
	}{
		{"unconnected", false, false, unix.EAGAIN},
		{"unconnected with IP_RECVERR", false, true, unix.ECONNREFUSED},
		{"connected", true, false, unix.ECONNREFUSED},
	} {
		t.Run(c.name, func(t *testing.T) {
			nobody := closedPort(t)
			s, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, unix.IPPROTO_UDP)
			if err != nil {
				t.Fatal(err)
			}
			defer unix.Close(s)
			// A refusal comes back within microseconds on loopback; the
			// timeout only ends the case where none is reported.
			tv := unix.Timeval{Sec: 1}
			if err := unix.SetsockoptTimeval(s, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
				t.Fatal(err)
			}
			if c.recverr {
				if err := unix.SetsockoptInt(s, unix.IPPROTO_IP, unix.IP_RECVERR, 1); err != nil {
					t.Fatal(err)
				}
			}
			if c.connect {
				if err := unix.Connect(s, nobody); err != nil {
					t.Fatal(err)
				}
			}
			if c.connect {
				_, err = unix.Write(s, []byte("anyone?"))
			} else {
				err = unix.Sendto(s, []byte("anyone?"), 0, nobody)
			}
			if err != nil {
				t.Fatal(err)
			}
			_, _, _, _, err = unix.Recvmsg(s, make([]byte, 64), nil, 0)
			if !errors.Is(err, c.want) {
				t.Errorf("recvmsg after a datagram to a closed port: %v, want %v", err, c.want)
			}
		})
	}
}

// closedPort returns a loopback address where no UDP socket listens: one
// the system just gave a socket that is now closed.
func closedPort(t *testing.T) *unix.SockaddrInet4 {
	t.Helper()
	s, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, unix.IPPROTO_UDP)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(s)
	if err := unix.Bind(s, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(s)
	if err != nil {
		t.Fatal(err)
	}
	return sa.(*unix.SockaddrInet4)
}

// TestSeedClientBindOnLinux shows the seed client's bind on the server's
// machine: the server holds port P on every address (INADDR_ANY), and a
// second socket's bind to 127.0.0.1:P fails with EADDRINUSE. (Windows may
// let it through: see the README.)
func TestSeedClientBindOnLinux(t *testing.T) {
	server, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, unix.IPPROTO_UDP)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(server)
	if err := unix.Bind(server, &unix.SockaddrInet4{}); err != nil { // 0.0.0.0, a port the system picks
		t.Fatal(err)
	}
	sa, err := unix.Getsockname(server)
	if err != nil {
		t.Fatal(err)
	}
	client, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, unix.IPPROTO_UDP)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(client)
	err = unix.Bind(client, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: sa.(*unix.SockaddrInet4).Port})
	if !errors.Is(err, unix.EADDRINUSE) {
		t.Errorf("bind 127.0.0.1 to the port 0.0.0.0 holds: %v, want EADDRINUSE", err)
	}
}
