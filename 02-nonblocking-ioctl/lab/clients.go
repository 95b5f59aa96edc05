package main

import (
	"bytes"
	"fmt"
)

// serveClient gives one client its turn: it sends the replies we still
// owe it, then makes one recv and answers the lines that completed. The
// socket is non-blocking, so a call with nothing to do returns at once.
func (srv *server) serveClient(c *client) {
	srv.flush(c)
	if !c.open || c.closing != "" {
		srv.closeIfDone(c)
		return
	}
	n, err := recvSome(c.h, srv.buf)
	switch {
	case wouldBlock(err):
		return // nothing has arrived
	case err != nil:
		srv.closeClient(c, describe("recv", err))
		return
	case n == 0:
		c.closing = "end of stream" // it sends no more, but may read what we owe it
	default:
		srv.answer(c, srv.buf[:n])
		srv.flush(c)
	}
	srv.closeIfDone(c)
}

// answer adds what one recv returned to the client's partial line and
// answers each line that completed, in the seed 001 line protocol: a line
// gets "Message received - <line>", and "quit" gets "quit", after which
// we close the connection. One recv may hold half a line, or several.
func (srv *server) answer(c *client, data []byte) {
	c.partial = append(c.partial, data...)
	for c.closing == "" {
		end := bytes.IndexByte(c.partial, '\n')
		if end < 0 {
			break
		}
		line := c.partial[:end]
		c.partial = c.partial[end+1:]
		fmt.Fprintf(srv.stdout, "Recv From Client[client %d]: %s\n", c.n, line)
		if string(line) == "quit" {
			c.pending = append(c.pending, "quit\n"...)
			c.closing = "quit" // what it sent after quit goes unanswered
		} else {
			c.pending = fmt.Appendf(c.pending, "Message received - %s\n", line)
		}
	}
	c.partial = bytes.Clone(c.partial) // let the lines answered go
	if len(c.partial) > maxLine && c.closing == "" {
		c.pending = fmt.Appendf(c.pending, "error: line longer than %d bytes\n", maxLine)
		c.closing = "line too long"
	}
}

// flush sends as much of the pending replies as the send buffer takes and
// keeps the rest for later: the client reads slowly, and the others must
// not wait for it. One that lets maxPending bytes pile up is closed.
func (srv *server) flush(c *client) {
	for len(c.pending) > 0 {
		n, err := sendSome(c.h, c.pending)
		if wouldBlock(err) {
			break
		}
		if err != nil {
			srv.closeClient(c, describe("send", err))
			return
		}
		c.pending = c.pending[n:]
	}
	if len(c.pending) > maxPending {
		srv.closeClient(c, "not reading its replies")
	}
}

// closeIfDone closes a client we are done with, once its replies are sent.
func (srv *server) closeIfDone(c *client) {
	if c.open && c.closing != "" && len(c.pending) == 0 {
		srv.closeClient(c, c.closing)
	}
}
