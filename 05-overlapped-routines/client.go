package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"time"
)

// maxLine bounds one line of the client's input. The seed reads at most
// BUF_SIZE-1 bytes with fgets; we take longer lines, up to this.
const maxLine = 64 << 10

// echoLines is the seed's StableEchoClient: for each line of stdin it
// sends the line, receives until at least as many bytes came back, and
// prints "msg from server: LINE". It stops at Q, q or the end of input.
// It prompts only when stdin is a terminal (or prompt asks, for the demo).
// With quiet it prints only the totals, once done. The seed's client
// waits for the server for ever; ours gives up on any wait (a connect on
// Linux, a send, a reply) after timeout, with one line, as chapter 02's does.
func echoLines(socks *sockets, stdin io.Reader, stdout io.Writer,
	to endpoint, prompt, quiet bool, timeout time.Duration) error {
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()
	server, err := connectToAny(socks, to, timeout)
	if err != nil {
		return err
	}
	defer server.close()

	prompt = prompt || isTerminal(stdin)
	lines := bufio.NewReaderSize(stdin, maxLine)
	echo := make([]byte, maxLine+1)
	lineCount, total := 0, 0
	defer func() {
		if quiet {
			fmt.Fprintf(stdout, "%d %s echoed, %d bytes\n",
				lineCount, plural(lineCount, "line"), total)
		}
	}()
	for {
		if prompt {
			fmt.Fprint(stdout, "Input msg(Q to quit): ")
		}
		// fgets keeps the newline, and so do we: it is sent and echoed.
		line, err := lines.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return fmt.Errorf("a line of input is over %d bytes",
				maxLine)
		}
		if len(line) == 0 ||
			string(line) == "Q\n" || string(line) == "q\n" ||
			string(line) == "Q" || string(line) == "q" {
			return nil
		}
		got, err := roundTrip(server, line, echo, timeout)
		if err != nil {
			return err
		}
		lineCount, total = lineCount+1, total+got
		if quiet {
			continue
		}
		fmt.Fprintf(stdout, "msg from server: %s", echo[:got])
		if line[len(line)-1] != '\n' {
			fmt.Fprintln(stdout)
		}
	}
}

// roundTrip sends one line to the server and receives its echo into echo,
// of which it returns the length.
func roundTrip(server *sock, line, echo []byte,
	timeout time.Duration) (int, error) {
	if err := server.sendAll(line); err != nil {
		if timedOut(err) {
			return 0, fmt.Errorf(
				"%s %s: the server has not read for %v",
				nameSend, server.label, timeout)
		}
		return 0, err
	}

	// The seed's loop: recv until at least as many bytes came back as
	// we sent. Unlike the seed, we stop at end-of-stream or an error,
	// where its recv returning 0 or -1 would loop forever or count back.
	got := 0
	for got < len(line) {
		n, err := server.recv(echo[got:])
		if timedOut(err) {
			return 0, fmt.Errorf("%s %s: no reply within %v",
				nameRecv, server.label, timeout)
		}
		if err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, fmt.Errorf("the server closed the "+
				"connection after %d of %d bytes",
				got, len(line))
		}
		got += n
	}
	if !bytes.Equal(echo[:got], line) {
		return 0, fmt.Errorf("the echo differs from the line sent")
	}
	return got, nil
}

// connectToAny resolves the server's name and connects to the first of its
// addresses that accepts, each socket with its waits bounded by timeout.
func connectToAny(socks *sockets, to endpoint,
	timeout time.Duration) (*sock, error) {
	addrs, err := socks.resolve(to.host, to.port, 0, false)
	if err != nil {
		return nil, err
	}
	var last error
	for _, addr := range addrs {
		s, err := socks.open(addr)
		if err != nil {
			return nil, err
		}
		if last = s.setTimeouts(timeout); last != nil {
			s.close()
			return nil, last
		}
		last = s.connect(addr)
		if timedOut(last) {
			// Linux's connect honours SO_SNDTIMEO: EINPROGRESS
			// says it ran out (timedOut).
			last = s.fail("connect", errTimedOut)
		}
		if last == nil {
			// Each line goes out at once, not held back by Nagle's
			// algorithm until the last one is acknowledged.
			if last = s.setNoDelay(); last == nil {
				return s, nil
			}
		}
		s.close()
	}
	return nil, last
}
