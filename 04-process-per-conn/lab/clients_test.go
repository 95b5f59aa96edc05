package main

// The clients the grading test plays, with Go's net package.

import (
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// client is a connection that has sent msg and has not yet left.
type client struct {
	*net.TCPConn
	msg string
}

func dial(t *testing.T, port string) *net.TCPConn {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	return conn.(*net.TCPConn)
}

// hold connects and sends msg, and stays connected.
func hold(t *testing.T, port, msg string) *client {
	t.Helper()
	c := &client{dial(t, port), msg}
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	return c
}

// echoed waits at most wait for the echo of msg, and says whether it came.
func (c *client) echoed(t *testing.T, wait time.Duration) bool {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	got := make([]byte, len(c.msg))
	_, err := io.ReadFull(c, got)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return false
	}
	if err != nil || string(got) != c.msg {
		t.Fatalf("a client sent %q and read %q, %v; want its echo", c.msg, got, err)
	}
	return true
}

// leave shuts down sending, reads until the server closes (at most
// waitLong), and closes: a client that leaves as the seed's client does.
func (c *client) leave() {
	c.CloseWrite()
	c.SetReadDeadline(time.Now().Add(waitLong))
	io.ReadAll(c)
	c.Close()
}

// roundTrip connects, sends msg while it reads, shuts down sending, and returns
// all it read until the server closed, or until waitLong.
func roundTrip(t *testing.T, port string, msg []byte) []byte {
	t.Helper()
	c := dial(t, port)
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitLong))
	go func() {
		c.Write(msg)
		c.CloseWrite()
	}()
	got, _ := io.ReadAll(c)
	return got
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
