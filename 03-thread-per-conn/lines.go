package main

import (
	"bytes"
	"fmt"
	"io"
	"sync"
)

// bufferSize is the seed's BUF_SIZE: how much one recv may take.
const bufferSize = 1024

// maxLine bounds a line, without its newline. A client that sends more
// without a newline is told so and dropped: the server keeps at most this
// much for each client, whatever the client does.
const maxLine = 64 << 10

// The replies, each a line: the same words as chapter 02's, so that each
// chapter's client works with the other's server.
const (
	replyPrefix = "Message received - "
	quitLine    = "quit"
	busyLine    = "server busy"
)

// tooLongReply is the error line a client gets before the server closes
// a connection whose line is over maxLine.
var tooLongReply = fmt.Sprintf(
	"error: line longer than %d bytes; closing the connection", maxLine)

// answerLines is the seed's AnswerThread: it answers each line the client
// sends with "Message received - LINE", and "quit" with "quit", after which
// it is done. Each recv blocks until bytes arrive; one recv is not one
// line, so we keep what came until its newline does. say tells the
// thread's story. It returns why the exchange ended, or the error that
// ended it.
func answerLines(client *sock, say *story) (string, error) {
	buf := make([]byte, bufferSize)
	var pending []byte // received bytes not yet ended by a newline
	for {
		n, err := client.recv(buf)
		if err != nil {
			return "", err
		}
		if n == 0 {
			// The client has shut down sending. A last line without
			// its newline is a line all the same.
			if len(pending) > 0 {
				_, err := answer(client, pending, say)
				if err != nil {
					return "", err
				}
			}
			return "the client closed the connection", nil
		}
		pending = append(pending, buf[:n]...)

		// Answer every whole line that has arrived, then keep the rest.
		start := 0
		for {
			end := bytes.IndexByte(pending[start:], '\n')
			if end < 0 {
				break
			}
			line := pending[start : start+end]
			quit, err := answer(client, line, say)
			if err != nil || quit {
				return "the client sent quit", err
			}
			start += end + 1
		}
		pending = append(pending[:0], pending[start:]...)

		if len(pending) > maxLine {
			say.printf("refuses a line over %d bytes\n", maxLine)
			err := client.sendAll([]byte(tooLongReply + "\n"))
			return "line too long", err
		}
	}
}

// answer tells the thread's story of a line and sends its answer, all of
// it in one sendAll: send may take only part of what it is given, which
// the seed forgets.
func answer(client *sock, line []byte, say *story) (quit bool, err error) {
	say.received(line)
	if string(line) == quitLine {
		return true, client.sendAll([]byte(quitLine + "\n"))
	}
	reply := make([]byte, 0, len(replyPrefix)+len(line)+1)
	reply = append(reply, replyPrefix...)
	reply = append(append(reply, line...), '\n')
	return false, client.sendAll(reply)
}

// story is what a serving thread prints: a line for each line it
// receives, or, with -quiet, how many it received, once, as it ends.
// A line printed costs more than its write on stdout: every thread prints
// through one lock (lockedWriter), and a thread that finds it taken sleeps,
// which for a thread of its own means the runtime wakes another thread and
// later wakes this one again (README: "Where a round trip's time goes").
type story struct {
	out   *lockedWriter
	n     int // the thread's number
	quiet bool
	lines int // lines received so far
}

func (say *story) printf(format string, args ...any) {
	say.out.printf("thread %d %s", say.n, fmt.Sprintf(format, args...))
}

// received counts a line, and prints it unless -quiet.
func (say *story) received(line []byte) {
	say.lines++
	switch {
	case say.quiet:
	case len(line) <= 72:
		say.printf("received %q\n", line)
	default:
		say.printf("received a line of %d bytes\n", len(line))
	}
}

// totals prints, with -quiet, how many lines the thread received.
func (say *story) totals() {
	if say.quiet {
		lines := fmt.Sprintf("%d lines", say.lines)
		if say.lines == 1 {
			lines = "1 line"
		}
		say.printf("received %s in all\n", lines)
	}
}

// lockedWriter lets many threads print whole lines without interleaving.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}
