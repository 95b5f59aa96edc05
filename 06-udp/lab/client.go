package main

import (
	"errors"
	"io"
	"net/netip"
)

// client is the client's socket and the server it talks to.
type client struct {
	h      handle
	server netip.AddrPort
}

// errTimeout is what receive returns when no datagram came in time.
var errTimeout = errors.New("no datagram within the timeout")

// runClient makes the client's socket, sets its receive timeout and hands
// it to sendMessages (starter.go), the part you write.
func runClient(stdout io.Writer, server netip.AddrPort, opts clientOptions) error {
	// We do not bind: the first sendto gives the socket a port the system
	// picks, and the server's echoes come back to it.
	s, err := openUDP(server)
	if err != nil {
		return err
	}
	defer closeUDP(s)

	// UDP never says a datagram was lost: a receive could wait for ever.
	// SO_RCVTIMEO makes each receive give up after opts.timeout.
	if err := setReceiveTimeout(s, opts.timeout); err != nil {
		return failed("setsockopt", server, err)
	}
	return sendMessages(&client{h: s, server: server}, stdout, opts)
}

// send sends datagram to the server (sendto), whole.
func (c *client) send(datagram []byte) error {
	return failed("sendto", c.server, sendTo(c.h, datagram, c.server))
}

// receive waits for one datagram (recvfrom) and returns its length and its
// sender, from anyone: UDP lets anyone send to our port. When none comes
// within the timeout, it returns errTimeout.
func (c *client) receive(buf []byte) (int, netip.AddrPort, error) {
	n, from, err := recvFrom(c.h, buf)
	if timedOut(err) {
		return 0, from, errTimeout
	}
	return n, from, failed("recvfrom", c.server, err)
}
