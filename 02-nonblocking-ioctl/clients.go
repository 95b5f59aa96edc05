package main

import (
	"fmt"
	"slices"
	"time"
)

// client is one connected client, as the polling loop sees it.
type client struct {
	s    *sock
	n    int // its number, in the order clients were accepted
	open bool
	// why we close once its replies are sent; "" while it talks
	closing string
	lines   int // lines received so far
	conversation
}

// serveClient gives one client its turn: it sends what replies are
// pending, tries one recv, and answers the lines that completed. Every
// call returns at once, so the turn is short, whatever the client does.
// It returns whether anything happened.
func (srv *server) serveClient(c *client) (busy bool) {
	if len(c.pending) > 0 {
		busy = srv.flush(c)
	}
	if !c.open || c.closing != "" {
		srv.closeIfDone(c)
		return busy
	}
	n, blocked, err := c.s.recv(srv.buf)
	switch {
	case blocked:
		return busy
	case err != nil:
		srv.closeClient(c, describe(err))
		return true
	case n == 0:
		// The client shut down its sending half: it will send no more
		// lines, but it may still read the replies we owe it. What it
		// sent after its last newline is a line too: the end of the
		// stream ends it.
		c.closing = "end of stream"
		if last, ok := c.ended(); ok {
			srv.answerLine(c, last)
			srv.flush(c)
		}
		srv.closeIfDone(c)
		return true
	}
	srv.answer(c, srv.buf[:n])
	srv.flush(c)
	srv.closeIfDone(c)
	return true
}

// answer logs each line that completed and queues its reply.
func (srv *server) answer(c *client, data []byte) {
	lines, tooLong := c.received(data)
	for _, line := range lines {
		if srv.answerLine(c, line) {
			// What the client sent after quit goes unanswered.
			return
		}
	}
	if tooLong {
		c.pending = append(c.pending, tooLongReply+"\n"...)
		c.closing = fmt.Sprintf("line longer than %d bytes", maxLine)
	}
}

// answerLine logs one line and queues its reply. It returns whether the
// line was quit, after which the server closes the connection.
func (srv *server) answerLine(c *client, line []byte) (closing bool) {
	srv.logLine(c, line)
	answer, closing := reply(line)
	c.pending = append(c.pending, answer...)
	if closing {
		c.closing = quitLine
	}
	return closing
}

// logLine prints the seed's line for each line received. The seed adds the
// time and the client's address and port, which change from run to run;
// we name the client by its number unless -timestamps asks for them. With
// -quiet we only count the line: printing is a system call too (write on
// stdout), one for every line, as many as the recv calls that bring them.
func (srv *server) logLine(c *client, line []byte) {
	c.lines++
	switch {
	case srv.config.quiet:
		return
	case srv.config.timestamps:
		fmt.Fprintf(srv.stdout, "%s,Recv From Client[%s]: %s\n",
			time.Now().Format(time.DateTime), c.s.label, line)
		return
	}
	fmt.Fprintf(srv.stdout, "Recv From Client[client %d]: %s\n", c.n, line)
}

// flush sends as much of the pending replies as the send buffer takes. A
// send that would block keeps the rest for a later pass: the client reads
// slowly, and the others must not wait for it. A client that lets more
// than maxPending bytes pile up is not reading at all, and is closed.
func (srv *server) flush(c *client) (busy bool) {
	for len(c.pending) > 0 {
		n, blocked, err := c.s.send(c.pending)
		if err != nil {
			srv.closeClient(c, describe(err))
			return true
		}
		if blocked {
			break
		}
		c.pending = c.pending[n:]
		busy = true
	}
	if len(c.pending) == 0 {
		c.pending = nil // let the memory go
	} else if len(c.pending) > maxPending {
		srv.closeClient(c, fmt.Sprintf(
			"not reading: %d bytes of replies unsent",
			len(c.pending)))
	}
	return busy
}

// closeIfDone closes a client we are done with once its replies are sent.
func (srv *server) closeIfDone(c *client) {
	if c.open && c.closing != "" && len(c.pending) == 0 {
		srv.closeClient(c, c.closing)
	}
}

// closeClient closes a client's socket and says why; with -quiet, it
// says first how many lines the client sent.
func (srv *server) closeClient(c *client, why string) {
	c.s.close()
	c.open = false
	srv.closed++
	if srv.config.quiet {
		fmt.Fprintf(srv.stdout, "client %d: received %s in all\n",
			c.n, countLines(c.lines))
	}
	fmt.Fprintf(srv.stdout, "client %d: closed (%s)\n", c.n, why)
}

// countLines says "1 line", "2 lines".
func countLines(n int) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}

// forgetClosed drops the clients closed during the pass from the list the
// loop polls, so their places go to new clients.
func (srv *server) forgetClosed() {
	srv.clients = slices.DeleteFunc(srv.clients, func(c *client) bool {
		return !c.open
	})
}

// describe names an error without the address, which the log line for the
// client already gives: "connection reset by peer (ECONNRESET)".
func describe(err error) string {
	if name, message, ok := errorName(err); ok {
		return fmt.Sprintf("%s: %s (%s)",
			unwrapCall(err), message, name)
	}
	return err.Error()
}

// unwrapCall returns the call an error names.
func unwrapCall(err error) string {
	if failed, ok := err.(*opError); ok {
		return failed.call
	}
	return "error"
}
