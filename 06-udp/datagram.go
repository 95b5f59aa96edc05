// The calls of the datagram model, as the server and the client make them:
// recvfrom and sendto in place of TCP's recv and send, and Winsock's switch
// for the ICMP "port unreachable". Each calls its twin in datagram_unix.go
// or datagram_windows.go, as calls.go does.
package main

import (
	"fmt"
	"net/netip"
)

// ignorePortUnreachable turns SIO_UDP_CONNRESET off on Winsock; on POSIX
// there is nothing to turn off, and nothing to trace.
func (s *sock) ignorePortUnreachable() error {
	err := ignorePortUnreachable(s.h)
	if nameNoReset != "" {
		s.table.tracef("0", err, nameNoReset, s)
	}
	return s.fail("WSAIoctl", err)
}

// recvFrom waits for one datagram and returns it, its sender and whether
// it was cut to fit buf. The trace leaves out the sender's port, which
// changes from run to run.
func (s *sock) recvFrom(buf []byte) (int, netip.AddrPort, bool, error) {
	n, from, truncated, err := recvFrom(s.h, buf)
	if s.table.tracing() {
		result := fmt.Sprint(n)
		if truncated {
			result += " " + nameTruncated
		}
		if from.IsValid() {
			result += " from " + from.Addr().String()
		}
		s.table.tracef(result, err, "%s(%v, %d bytes)", nameRecvFrom, s, len(buf))
	}
	return n, from, truncated, s.fail(nameRecvFrom, err)
}

// sendTo sends buf as one datagram to to. A failure names the address it
// was sent to, not the socket's label.
func (s *sock) sendTo(buf []byte, to netip.AddrPort) error {
	err := sendTo(s.h, buf, to)
	if s.table.tracing() {
		s.table.tracef(fmt.Sprint(len(buf)), err, "sendto(%v, %d bytes, %v)", s, len(buf), to.Addr())
	}
	if s.table.stopped() {
		return errInterrupted
	}
	if err != nil {
		return &opError{call: "sendto", addr: to.String(), err: err}
	}
	return nil
}
