package main

import (
	"bytes"
	"fmt"
)

// The seed 001 line protocol, as CONVENTIONS fixes it for chapters 02 and
// 03: every line that ends in a newline gets "Message received - <line>",
// and the line "quit" gets "quit", after which the server closes the
// connection. A recv returns whatever has arrived, so one recv may hold
// half a line, or several lines; a conversation keeps the bytes between
// recv calls and hands out whole lines only.

// maxLine bounds a line, so that a client that never sends a newline
// cannot make the server keep its bytes without end.
const maxLine = 64 << 10

// maxPending bounds the replies a server keeps for a client that does not
// read them. Past it, the client is closed: it is not reading, and the
// server will not hold its replies without end.
const maxPending = 256 << 10

// The replies, each a line.
const (
	replyPrefix = "Message received - "
	quitLine    = "quit"
	busyLine    = "server busy"
)

// tooLongReply is the error line a client gets before the server closes
// a connection whose line is over maxLine.
var tooLongReply = fmt.Sprintf(
	"error: line longer than %d bytes; closing the connection", maxLine)

// conversation is what the server knows of one client between passes.
type conversation struct {
	partial []byte // received after the last newline: the start of a line
	pending []byte // replies not sent yet: the send buffer was full
}

// received adds what one recv returned and returns the lines it completed,
// without their newlines. tooLong says a line is over maxLine, complete
// or not; the lines before it are returned all the same.
func (c *conversation) received(data []byte) (lines [][]byte, tooLong bool) {
	c.partial = append(c.partial, data...)
	for {
		end := bytes.IndexByte(c.partial, '\n')
		if end < 0 {
			break
		}
		if end > maxLine {
			return lines, true
		}
		lines = append(lines, bytes.Clone(c.partial[:end]))
		c.partial = c.partial[end+1:]
	}
	// We copy what is left to a new slice on every call, so that the
	// array behind the old one, which still holds the lines answered, can
	// be freed: a long conversation does not keep every byte it received.
	c.partial = append([]byte(nil), c.partial...)
	return lines, len(c.partial) > maxLine
}

// ended returns what came after the last newline, once the client has
// shut down sending: the end of the stream ends a last line as a newline
// would. ok is false when there is nothing.
func (c *conversation) ended() (line []byte, ok bool) {
	line, c.partial = c.partial, nil
	return line, len(line) > 0
}

// reply returns the line that answers line, and whether the server closes
// the connection once it is sent.
func reply(line []byte) (answer []byte, closing bool) {
	if string(line) == quitLine {
		return []byte(quitLine + "\n"), true
	}
	answer = make([]byte, 0, len(replyPrefix)+len(line)+1)
	answer = append(answer, replyPrefix...)
	answer = append(answer, line...)
	return append(answer, '\n'), false
}
