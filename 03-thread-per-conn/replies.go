package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// maxReply bounds a line the client accepts from the server: the answer to
// the longest line the server takes, and a little more.
const maxReply = maxLine + 64

// lineReader cuts what the server sends into lines; one recv may hold part
// of a line or several.
type lineReader struct {
	from    *sock
	pending []byte
	closed  bool
}

// next returns the next line without its newline, or io.EOF once the
// server has closed; a last line without a newline is a line too.
func (r *lineReader) next() ([]byte, error) {
	buf := make([]byte, bufferSize)
	for {
		if end := bytes.IndexByte(r.pending, '\n'); end >= 0 {
			line := bytes.Clone(r.pending[:end])
			r.pending = r.pending[end+1:]
			return line, nil
		}
		if r.closed {
			line := r.pending
			r.pending = nil
			if len(line) == 0 {
				return nil, io.EOF
			}
			return line, nil
		}
		if len(r.pending) > maxReply {
			return nil, fmt.Errorf(
				"the server sent a line over %d bytes",
				maxReply)
		}
		n, err := r.from.recv(buf)
		if err != nil {
			return nil, err
		}
		r.closed = n == 0
		r.pending = append(r.pending, buf[:n]...)
	}
}

// untilClosed prints every line the server still sends, until it closes.
// Waiting for the close, rather than leaving at once, means the server
// has ended our thread when we exit.
func (r *lineReader) untilClosed(stdout io.Writer) error {
	for {
		line, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "recv From Server: %s\n", line)
		if err := closingReply(line); err != nil {
			return err
		}
	}
}

// closingReply returns the error a client exits 1 with when the server
// says it closes the connection: busy, or a line too long. Chapter 02's
// client does the same.
func closingReply(reply []byte) error {
	switch string(reply) {
	case busyLine:
		return errors.New("the server is busy: every thread it may " +
			"start is taken, and it closed this connection")
	case tooLongReply:
		return errors.New(
			"the server closed the connection after that error")
	}
	return nil
}
