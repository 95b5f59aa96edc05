package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// maxMessage bounds what the client sends. It sends everything before it
// reads the echo, so a message larger than the two sockets' buffers can hold
// would leave both programs blocked in send, each waiting for the other to
// read. 64 KiB stays well inside them; chapter 07 reads and writes at once.
const maxMessage = 64 << 10

// errTooLong is what the client says of a message over maxMessage.
var errTooLong = usageError{fmt.Errorf("message on stdin is over %d bytes: "+
	"this client sends it all before it reads", maxMessage)}

// sendAndReceive is the seed's client, in its five steps: it sends message,
// shuts down its sending half, and receives the echo until the server closes.
// The seed waits for the server as long as it takes; timeout bounds each
// wait (connect on Linux, every send and receive), as chapter 02's -timeout
// does.
func sendAndReceive(socks *sockets, stdout io.Writer, to endpoint,
	message []byte, quiet bool, timeout time.Duration) error {
	// 1. Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// 2 and 3. Create a socket and connect it. The name may stand for
	// several addresses (localhost is often ::1 and 127.0.0.1), so we try
	// each in turn until one connects, as the seed's loop does.
	server, err := connectToAny(socks, to, timeout)
	if err != nil {
		return err
	}
	defer server.close()

	// 4. Send the message, all of it, then shut down our sending half: the
	// server's recv will return 0 once it has read everything.
	if err := server.sendAll(message); err != nil {
		if timedOut(err) {
			return fmt.Errorf(
				"%s %s: the server has not read for %v",
				nameSend, server.label, timeout)
		}
		return err
	}
	fmt.Fprintf(stdout, "Bytes Sent: %d\n", len(message))
	if err := server.shutdownSend(); err != nil {
		return err
	}

	// 5. Receive until the server closes. We keep what comes back, one byte
	// more than we sent at most (or the busy reply), to check the echo.
	keep := max(len(message)+1, len(busyReply))
	echo, err := receiveUntilClosed(server, stdout, keep, quiet)
	if timedOut(err) {
		return fmt.Errorf("%s %s: no reply within %v",
			nameRecv, server.label, timeout)
	}
	if err != nil {
		return err
	}
	return checkEcho(stdout, message, echo)
}

// connectToAny resolves the server's name and connects to the first of its
// addresses that accepts. Each failed try is an error line on its own. The
// socket's blocking calls wait at most timeout each (setTimeouts).
func connectToAny(socks *sockets, to endpoint,
	timeout time.Duration) (*sock, error) {
	addrs, err := socks.resolve(to.host, to.port, 0, false)
	if err != nil {
		return nil, err
	}
	var failures []error
	for _, addr := range addrs {
		s, err := socks.open(addr)
		if err != nil {
			return nil, err
		}
		if err := s.setTimeouts(timeout); err != nil {
			s.close()
			return nil, err
		}
		if err := s.connect(addr); err != nil {
			if timedOut(err) {
				err = s.fail("connect", errTimedOut)
			}
			s.close()
			failures = append(failures, err)
			continue
		}
		// Our sends go out at once, as the server's do (server.go).
		if err := s.setNoDelay(); err != nil {
			s.close()
			return nil, err
		}
		return s, nil
	}
	return nil, errors.Join(failures...)
}

// receiveUntilClosed reads until recv returns 0 and returns the first keep
// bytes of what came.
func receiveUntilClosed(server *sock, stdout io.Writer, keep int,
	quiet bool) ([]byte, error) {
	buf := make([]byte, bufferSize)
	var got []byte
	total := 0
	for {
		n, err := server.recv(buf)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			break
		}
		if !quiet {
			fmt.Fprintf(stdout, "Bytes received: %d\n", n)
		}
		total += n
		got = append(got, buf[:min(n, keep-len(got))]...)
	}
	if quiet {
		fmt.Fprintf(stdout, "Bytes received: %d in all\n", total)
	}
	fmt.Fprintln(stdout, "Connection closed")
	return got, nil
}

// checkEcho says whether the server sent back exactly what we sent.
func checkEcho(stdout io.Writer, sent, echo []byte) error {
	switch {
	case string(echo) == busyReply && string(sent) != busyReply:
		return errors.New("the server is busy: " +
			`it said "server busy" and closed`)
	case len(echo) > len(sent):
		return fmt.Errorf("echo is longer than the %d bytes sent",
			len(sent))
	case len(echo) < len(sent):
		return fmt.Errorf("echo is short: %d of the %d bytes "+
			"sent came back", len(echo), len(sent))
	case !bytes.Equal(sent, echo):
		at := 0
		for sent[at] == echo[at] {
			at++
		}
		return fmt.Errorf("echo differs from what was sent, "+
			"first at byte %d", at)
	}
	fmt.Fprintf(stdout, "Echo matches the %d bytes sent.\n", len(sent))
	return nil
}

// readMessage returns what the client sends: its arguments joined by spaces,
// the seed's "this is a test" when there are none, or stdin for "-". A
// message over maxMessage is a mistake on the command line, as in 01.
func readMessage(args []string, stdin io.Reader) ([]byte, error) {
	switch {
	case len(args) == 0:
		return []byte("this is a test"), nil
	case len(args) == 1 && args[0] == "-":
		message, err := io.ReadAll(io.LimitReader(stdin, maxMessage+1))
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %v", err)
		}
		if len(message) > maxMessage {
			return nil, errTooLong
		}
		return message, nil
	}
	return []byte(strings.Join(args, " ")), nil
}
