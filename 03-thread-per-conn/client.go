package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"
)

// errServerClosed is the server closing the connection while we wait for
// an answer.
var errServerClosed = errors.New(
	"the server closed the connection before it answered")

// chat is the seed's client, made of blocking calls: it sends each line
// of stdin and waits for its answer, and stops after "quit" or at the end
// of stdin. Lines travel with their newline, so the server can tell where
// each ends, however the bytes are split on the way. The seed waits for the
// server as long as it takes; timeout bounds each wait (connect on Linux,
// every send and receive), as chapter 02's -timeout does. A wait for a
// line of stdin is the user's, and has no bound.
func chat(socks *sockets, stdout io.Writer, stdin io.Reader, to endpoint,
	timeout time.Duration) error {
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()
	server, err := connectToAny(socks, to, timeout)
	if err != nil {
		return err
	}
	defer server.close()
	return exchangeLines(server, stdout, stdin, timeout)
}

// exchangeLines is chat's conversation with server: each line of stdin,
// then its answer, until "quit" or the end of stdin; then what the server
// still says, until it closes.
func exchangeLines(server *sock, stdout io.Writer, stdin io.Reader,
	timeout time.Duration) error {
	// tooLong says, in chapter 02's words, that a wait for the server ran
	// out; any other error is left as it is.
	tooLong := func(err error, call, what string) error {
		if !timedOut(err) {
			return err
		}
		where := call + " " + server.label
		return fmt.Errorf("%s: %s %v", where, what, timeout)
	}
	notRead := func(err error) error {
		return tooLong(err, nameSend, "the server has not read for")
	}
	noReply := func(err error) error {
		return tooLong(err, nameRecv, "no reply within")
	}

	input := bufio.NewReader(stdin)
	replies := &lineReader{from: server}
	for {
		line, err := readLine(input)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if err := server.sendAll(append(line, '\n')); err != nil {
			return notRead(err)
		}
		reply, err := replies.next()
		if err == io.EOF {
			return server.fail(nameRecv, errServerClosed)
		}
		if err != nil {
			return noReply(err)
		}
		fmt.Fprintf(stdout, "recv From Server: %s\n", reply)
		if string(reply) == quitLine {
			return noReply(replies.untilClosed(stdout))
		}
		if err := closingReply(reply); err != nil {
			return err
		}
	}

	// Stdin is done: we shut down sending, so the server reads the end of
	// the stream, and print what it still says until it closes.
	if err := server.shutdownSend(); err != nil {
		return err
	}
	return noReply(replies.untilClosed(stdout))
}

// readLine reads one line of stdin without its end of line (a console
// ends lines with CR LF); the last line may lack one. Lines longer than
// the server takes are sent all the same, so that one can see the server
// refuse them, up to a bound of our own.
func readLine(input *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := input.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > 2*maxLine {
			return nil, fmt.Errorf(
				"a line of stdin is over %d bytes", 2*maxLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && !(err == io.EOF && len(line) > 0) {
			return nil, err
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		return bytes.TrimSuffix(line, []byte("\r")), nil
	}
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
