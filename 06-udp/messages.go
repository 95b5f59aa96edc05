package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// messages returns what the client sends, one datagram per call: its
// arguments joined by spaces; all of stdin for "-"; or else each line of
// stdin, without its newline. No datagram may pass maxDatagram bytes:
// arguments or a whole stdin over it are a usage error (tooLong); a line
// over it stops the client when it comes.
func messages(args []string,
	stdin io.Reader) (func() ([]byte, bool, error), error) {
	if len(args) == 1 && args[0] == "-" {
		message, err := io.ReadAll(io.LimitReader(stdin, maxDatagram+1))
		if err != nil {
			return nil, fmt.Errorf("reading stdin: %v", err)
		}
		if len(message) > maxDatagram {
			return nil, tooLong("stdin")
		}
		return once(message), nil
	}
	if len(args) > 0 {
		message := []byte(strings.Join(args, " "))
		if len(message) > maxDatagram {
			return nil, tooLong("message")
		}
		return once(message), nil
	}
	lines := bufio.NewScanner(stdin)
	lines.Buffer(make([]byte, 4096), maxDatagram+1)
	return func() ([]byte, bool, error) {
		if lines.Scan() {
			return lines.Bytes(), true, nil
		}
		if errors.Is(lines.Err(), bufio.ErrTooLong) {
			return nil, false, errLineTooLong
		}
		return nil, false, lines.Err()
	}, nil
}

// errLineTooLong stops the client at a line of stdin that cannot be one
// datagram.
var errLineTooLong = fmt.Errorf(
	"a line of stdin is over %d bytes: too long for one datagram",
	maxDatagram)

// tooLong is the usage error for what cannot be one datagram.
func tooLong(what string) error {
	return usageError{fmt.Errorf(
		"%s is over %d bytes: too long for one datagram",
		what, maxDatagram)}
}

// once returns message the first time it is called, then nothing.
func once(message []byte) func() ([]byte, bool, error) {
	sent := false
	return func() ([]byte, bool, error) {
		if sent {
			return nil, false, nil
		}
		sent = true
		return message, true, nil
	}
}
