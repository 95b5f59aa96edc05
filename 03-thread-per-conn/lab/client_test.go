package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// client is a test's connection to the server.
type client struct {
	net.Conn
	name    string
	answers *bufio.Reader
}

func dial(t *testing.T, port, name string) *client {
	t.Helper()
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+port, answerWithin)
	if err != nil {
		t.Fatalf("client %s could not connect: %v", name, err)
	}
	t.Cleanup(func() { conn.Close() })
	return &client{conn, name, bufio.NewReader(conn)}
}

func (c *client) send(lines string) error {
	c.SetWriteDeadline(time.Now().Add(answerWithin))
	if _, err := io.WriteString(c, lines+"\n"); err != nil {
		return fmt.Errorf("client %s could not send %q: %v", c.name, lines, err)
	}
	return nil
}

// answerWithin returns the next answer, without its newline, or an error
// if none came within wait.
func (c *client) answerWithin(wait time.Duration) (string, error) {
	c.SetReadDeadline(time.Now().Add(wait))
	answer, err := c.answers.ReadString('\n')
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return "", fmt.Errorf("no answer within %v", wait)
	case err == io.EOF:
		return "", fmt.Errorf("the connection closed (after %q)", answer)
	case err != nil:
		return "", err
	}
	return strings.TrimSuffix(answer, "\n"), nil
}

// exchange sends line and checks the answer.
func (c *client) exchange(line, want string) error {
	if err := c.send(line); err != nil {
		return err
	}
	return c.expect(want, answerWithin)
}

// expect reads the next answer and says how it differs from want.
func (c *client) expect(want string, wait time.Duration) error {
	answer, err := c.answerWithin(wait)
	switch {
	case err != nil:
		return fmt.Errorf("client %s got %v, want %q", c.name, err, want)
	case answer != want:
		return fmt.Errorf("client %s got %q, want %q", c.name, answer, want)
	}
	return nil
}

// quit sends quit and wants "quit", then the server's close.
func (c *client) quit() error {
	if err := c.exchange("quit", "quit"); err != nil {
		return err
	}
	c.SetReadDeadline(time.Now().Add(answerWithin))
	if rest, err := io.ReadAll(c.answers); err != nil || len(rest) > 0 {
		return fmt.Errorf("after quit, client %s got %q, %v; want the server to close the connection", c.name, rest, err)
	}
	return nil
}

// startWithPID starts the server as testkit's StartServer does, and

// port returns the client's own port, which the server sees as its peer's.
func (c *client) port() int { return c.LocalAddr().(*net.TCPAddr).Port }
