package main

// The clients of the grading tests: Go's net package over 127.0.0.1, and
// failure messages that say what the server got wrong, in the words of the
// half being graded (hints_test.go).

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"
)

// runClients runs n clients at once, each on its own connection, and
// returns the first error (and how many clients had one), if any. Every
// client connects before any starts, so that they do start together.
func runClients(t *testing.T, port string, n int, client func(conn net.Conn, i int) error) error {
	t.Helper()
	conns := make([]net.Conn, n)
	for i := range conns {
		conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, deadline)
		if err != nil {
			return fmt.Errorf("client %d of %d could not connect: %v: has the server stopped?", i+1, n, err)
		}
		t.Cleanup(func() { conn.Close() })
		conns[i] = conn
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, conn := range conns {
		wg.Go(func() {
			errs[i] = client(conn, i)
			conn.Close()
		})
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
		}
	}
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("%d of %d clients did not get their echo; the first: %w", failed, n, err)
		}
	}
	return nil
}

// echoOnce sends msg, writing while it reads, and reads until as many bytes
// have come back; it says what went wrong in words that point at the
// likely mistake.
func echoOnce(conn net.Conn, msg []byte, h hints) error {
	conn.SetWriteDeadline(time.Now().Add(echoLimit))
	wrote := make(chan error, 1)
	go func() {
		_, err := conn.Write(msg)
		wrote <- err
	}()
	if err := readEcho(conn, msg, h); err != nil {
		return err
	}
	return <-wrote
}

// The waits of readEcho: the echo must go on coming, and come whole.
const (
	deadline  = 5 * time.Second  // the longest wait for a dial, or for the next byte of an echo
	echoLimit = 30 * time.Second // the longest wait for a whole echo
)

// readEcho reads len(want) bytes and checks that they are want. It waits
// for each read at most deadline, and for them all at most echoLimit. An
// echo that stops coming, or a connection the server closes, is said with
// errStalled or errClosed, which stop explains once it has seen what the
// server said; an echo that differs is explained here, with h.differs.
func readEcho(conn net.Conn, want []byte, h hints) error {
	got := make([]byte, len(want))
	n, end := 0, time.Now().Add(echoLimit)
	var err error
	for n < len(got) && err == nil {
		conn.SetReadDeadline(time.Now().Add(min(deadline, time.Until(end))))
		var m int
		m, err = conn.Read(got[n:])
		n += m
	}
	var timeout net.Error
	switch {
	case errors.As(err, &timeout) && timeout.Timeout():
		waited := fmt.Sprintf("then nothing for %v", deadline)
		if !time.Now().Before(end) {
			waited = fmt.Sprintf("in %v", echoLimit)
		}
		return fmt.Errorf("only %d of %d bytes came back, %s: %w", n, len(want), waited, errStalled)
	case err != nil:
		return fmt.Errorf("%d of %d bytes came back, then %v: %w", n, len(want), err, errClosed)
	}
	if i := mismatch(got, want); i >= 0 {
		return fmt.Errorf("the echo differs from what was sent from byte %d on (got % x, want % x): %s",
			i, got[i:min(i+8, len(got))], want[i:min(i+8, len(want))], h.differs)
	}
	return nil
}

// What a client sees when the server closed its connection, or when its
// echo stopped coming.
var (
	errClosed  = errors.New("the server closed the connection")
	errStalled = errors.New("the server stopped echoing")
)

// mismatch is the first index where got and want differ, or -1.
func mismatch(got, want []byte) int {
	if bytes.Equal(got, want) {
		return -1
	}
	for i := range got {
		if got[i] != want[i] {
			return i
		}
	}
	return len(got)
}

// pattern is n bytes of every value, starting at a value of seed's: each
// message differs from the others, so a chunk echoed twice or out of place
// shows.
func pattern(seed, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(seed*7 + i + i/251)
	}
	return b
}

func dial(t *testing.T, port string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, deadline)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
