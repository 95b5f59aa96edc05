package main

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"time"
)

// clientOptions are the client's flags.
type clientOptions struct {
	timeout time.Duration // how long to wait for each echo (SO_RCVTIMEO)
	retries int           // how many times to send a datagram again
}

// maxStray bounds how many datagrams that are not our echo one wait may
// skip, so that a stream of strangers cannot keep the client waiting.
const maxStray = 16

// sendDatagrams is the seed's client, made to check its work: each message
// next returns goes out as one datagram, and we wait for its echo, sending
// again when none comes in time. next returns false when there is no more.
func sendDatagrams(socks *sockets, stdout io.Writer, to endpoint,
	opts clientOptions, next func() ([]byte, bool, error)) error {
	// Initialize Winsock (WSAStartup, version 2.2); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	addrs, err := socks.resolve(to.host, to.port, afINET, false)
	if err != nil {
		return err
	}
	server := addrs[0]

	// The seed bound its client to the server's own port 7000, so that it
	// could not run on the server's machine. We do not bind: the first
	// sendto gives the socket a port the system picks.
	s, err := socks.open(server)
	if err != nil {
		return err
	}
	defer s.close()

	// Winsock would report the ICMP "port unreachable" of a server that is
	// not there to our next recvfrom, even on this unconnected socket;
	// POSIX would not. We ask Winsock to behave as POSIX does, so that both
	// wait, send again and give up in the same words.
	if err := s.ignorePortUnreachable(); err != nil {
		return err
	}

	// UDP never tells us a datagram was lost: a receive that waits for
	// ever waits for ever. SO_RCVTIMEO makes it give up (and SO_SNDTIMEO
	// bounds a sendto that waits for room in a full send buffer).
	if err := s.setTimeouts(opts.timeout); err != nil {
		return err
	}
	buf := make([]byte, maxDatagram+1)
	for {
		message, ok, err := next()
		if err != nil || !ok {
			return err
		}
		err = sendUntilEchoed(s, stdout, server, message, buf, opts)
		if err != nil {
			return err
		}
	}
}

// sendUntilEchoed sends message and waits for its echo, at most
// 1 + opts.retries times.
func sendUntilEchoed(s *sock, stdout io.Writer, server netip.AddrPort,
	message, buf []byte, opts clientOptions) error {
	tries := 1 + opts.retries
	answers := 0 // datagrams from the server that were not the echo
	for try := 1; try <= tries; try++ {
		// The seed sent sizeof(sendBuf), 1024 bytes it never filled; we
		// send the message's own bytes, and nothing else.
		if err := s.sendTo(message, server); err != nil {
			return err
		}
		if try == 1 {
			fmt.Fprintf(stdout, "sent %d bytes\n", len(message))
		} else {
			fmt.Fprintf(stdout,
				"sent %d bytes again (try %d of %d)\n",
				len(message), try, tries)
		}
		echoed, wrong, err := awaitEcho(s, stdout, server, message, buf)
		answers += wrong
		if err != nil {
			return err
		}
		if echoed {
			// The seed printed what came back; so do we, quoted,
			// since a datagram may hold any bytes.
			fmt.Fprintf(stdout,
				"echo of %d bytes from %v matches: %s\n",
				len(message), server.Addr(), quoted(message))
			return nil
		}
		fmt.Fprintf(stdout, "no echo within %v\n", opts.timeout)
	}
	if answers > 0 {
		// Nothing was lost: the server answered, but not with the echo
		// (the seed's server sends back 1024 bytes whatever it
		// received).
		return fmt.Errorf("no echo from %v after %d tries: "+
			"the server answered %d time%s, never with the echo",
			server, tries, answers, plural(answers))
	}
	return fmt.Errorf("no echo from %v after %d tries: "+
		"the datagram or its echo was lost", server, tries)
}

// What the client prints of a datagram it skips: one from another
// address, or one from the server that is not the echo.
const (
	skippedStranger = "skipped a datagram of %d bytes from %v, " +
		"not the server: %s\n"
	skippedNotEcho = "skipped a datagram of %s bytes from the server, " +
		"not the echo of the %d bytes sent: %s\n"
)

// awaitEcho receives until the echo of message comes (true), or until a
// receive times out (false). A datagram from another address, or one that
// is not the echo (a late echo of an earlier try, or a server that does not
// echo), is shown and skipped: UDP lets anyone send to our port. wrong
// counts those that came from the server.
func awaitEcho(s *sock, stdout io.Writer, server netip.AddrPort,
	message, buf []byte) (echoed bool, wrong int, err error) {
	for range maxStray {
		n, from, truncated, err := s.recvFrom(buf)
		if timedOut(err) {
			return false, wrong, nil
		}
		if err != nil {
			return false, wrong, err
		}
		switch {
		case from != server:
			fmt.Fprintf(stdout, skippedStranger,
				n, from, quoted(buf[:n]))
		case truncated || !bytes.Equal(buf[:n], message):
			wrong++
			size := fmt.Sprint(n)
			if truncated {
				// Our buffer is one byte over the largest
				// datagram.
				size = "more than " + size
			}
			fmt.Fprintf(stdout, skippedNotEcho,
				size, len(message), quoted(buf[:n]))
		default:
			return true, wrong, nil
		}
	}
	return false, wrong, nil
}

// shownBytes bounds how much of a datagram the client prints.
const shownBytes = 32

// quoted shows data as Go's %q does, each byte that is not printable as an
// escape (\x00, \n), so that any datagram prints as one line: whole up to
// shownBytes bytes, or its first shownBytes bytes and how many more.
func quoted(data []byte) string {
	if len(data) <= shownBytes {
		return fmt.Sprintf("%q", data)
	}
	return fmt.Sprintf("%q... (%d bytes more)",
		data[:shownBytes], len(data)-shownBytes)
}
