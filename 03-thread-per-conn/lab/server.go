package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sync"
)

// maxLine bounds a line, as in the chapter: a client that sends more
// without a newline is told so and dropped.
const maxLine = 64 << 10

// server is the chapter's line server. How its threads start is the lab:
// serve, in starter.go (solution.go has the answer). The rest is here,
// and in stop.go what Ctrl-C does.
type server struct {
	out, errs io.Writer
	listener  *sock
	threads   sync.WaitGroup // the serving threads: serve adds each one
	stopped   chan struct{}  // closed by stop

	mu           sync.Mutex     // guards what follows
	serving      map[*sock]bool // the clients being served: stop wakes their threads
	stopping     bool
	acceptFailed bool

	outMu sync.Mutex // one line at a time, whichever thread prints it
}

// listen makes the listening socket (socket, bind, listen) and prints
// "listening on" as soon as a client may connect.
func (s *server) listen(at netip.AddrPort) error {
	if err := startup(); err != nil {
		return failed("WSAStartup", "", err)
	}
	h, err := openSocket()
	if err != nil {
		return failed("socket", at.String(), err)
	}
	fail := func(call string, err error) error {
		closeSocket(h)
		return failed(call, at.String(), err)
	}
	if err := bindSocket(h, at); err != nil {
		return fail("bind", err)
	}
	if err := listenSocket(h); err != nil {
		return fail("listen", err)
	}
	addr, err := localAddr(h)
	if err != nil {
		return fail("getsockname", err)
	}
	s.listener = &sock{h: h, label: addr.String()}
	s.printf("listening on %v\n", addr)
	return nil
}

// accept blocks in accept until a client connects, and returns it. It
// returns false when the calling thread should end instead: the server is
// stopping, or accept failed, which stops it. Any thread may call it; the
// kernel hands each new connection to one of the threads waiting.
func (s *server) accept() (*sock, bool) {
	h, peer, err := acceptConn(s.listener.h)
	for err != nil && abortedBeforeAccept(err) && !s.isStopping() {
		h, peer, err = acceptConn(s.listener.h) // a client gone before we met it (UNP 5.11)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.stopping:
		if err == nil {
			closeSocket(h)
		}
		return nil, false
	case err != nil:
		s.acceptFailed = true
		s.eprintf("%v\n", failed("accept", s.listener.label, err))
		s.stopLocked()
		return nil, false
	}
	client := &sock{h: h, label: peer.Addr().String()}
	s.serving[client] = true // so that stop can wake the thread serving it
	return client, true
}

// serveClient runs the line protocol with client on thread n, then closes
// the client's socket: the seed's AnswerThread.
func (s *server) serveClient(n int, client *sock) {
	s.printf("thread %d serves %s\n", n, client.label)
	err := s.answerLines(n, client)
	switch {
	case s.isStopping():
		s.printf("thread %d stops: the server is stopping\n", n)
	case err != nil:
		s.eprintf("thread %d is done with %s: %v\n", n, client.label, err)
	default:
		s.printf("thread %d is done with %s\n", n, client.label)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.serving[client] { // on Winsock, stop may have closed it already
		delete(s.serving, client)
		closeSocket(client.h)
	}
}

// answerLines answers each line with "Message received - LINE", and the
// line "quit" with "quit", after which it returns. One recv is not one
// line: the bufio.Reader keeps what came until its newline does.
func (s *server) answerLines(n int, client *sock) error {
	lines := bufio.NewReaderSize(client, maxLine)
	for {
		line, err := lines.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			s.printf("thread %d refuses a line over %d bytes\n", n, maxLine)
			return client.sendAll(fmt.Appendf(nil, "error: line over %d bytes, closing\n", maxLine))
		}
		if err == io.EOF && len(line) == 0 {
			return nil // the client has shut down sending
		}
		if err != nil && err != io.EOF {
			return err
		}
		// A last line without its newline, before the end of the stream,
		// is a line all the same.
		line = bytes.TrimSuffix(line, []byte("\n"))
		s.printf("thread %d received %.72q\n", n, line)
		if string(line) == "quit" {
			return client.sendAll([]byte("quit\n"))
		}
		answer := append([]byte("Message received - "), line...)
		if err := client.sendAll(append(answer, '\n')); err != nil {
			return err
		}
	}
}

func (s *server) failed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acceptFailed
}

func (s *server) printf(format string, args ...any) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	fmt.Fprintf(s.out, format, args...)
}

func (s *server) eprintf(format string, args ...any) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	fmt.Fprintf(s.errs, format, args...)
}
