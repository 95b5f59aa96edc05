package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// drive is a transcript command that plays several clients against a
// server in lock-step, so that the server's log comes out in one order:
//
//	drive PORT STEP...
//
//	N:TEXT   client N (connected at its first step) sends TEXT and a
//	         newline, and waits for the reply. \n in TEXT separates lines
//	         sent in one write; each gets its reply.
//	N+TEXT   client N sends TEXT with no newline and does not wait.
//	N#SIZE   client N sends SIZE bytes of "x" with no newline, then
//	         waits for the reply.
//	N.       client N reads until the server closes the connection.
//	N-       client N shuts down its sending side (no more lines), then
//	         reads until the server closes the connection.
//	N!       client N resets the connection (SO_LINGER 0, then close).
//
// Each step prints what the client sent (>) and received (<).
func drive(args []string, _ string) ([]byte, error) {
	if len(args) < 2 {
		return nil, errors.New("usage: drive PORT STEP...")
	}
	var out strings.Builder
	clients := map[string]*driven{}
	defer func() {
		for _, c := range clients {
			c.conn.Close()
		}
	}()
	for _, step := range args[1:] {
		at := strings.IndexAny(step, ":+#.!-")
		if at < 1 {
			return nil, fmt.Errorf("drive: bad step %q", step)
		}
		n, action, text := step[:at], step[at], step[at+1:]
		c := clients[n]
		if c == nil {
			conn, err := net.DialTimeout("tcp", "127.0.0.1:"+args[0], 10*time.Second)
			if err != nil {
				return []byte(out.String()), err
			}
			conn.SetDeadline(time.Now().Add(30 * time.Second))
			c = &driven{conn: conn.(*net.TCPConn), replies: bufio.NewReader(conn)}
			clients[n] = c
		}
		if err := c.play(&out, n, action, text); err != nil {
			return []byte(out.String()), fmt.Errorf("drive: step %q: %v", step, err)
		}
	}
	return []byte(out.String()), nil
}

// driven is one client of drive.
type driven struct {
	conn    *net.TCPConn
	replies *bufio.Reader
}

func (c *driven) play(out *strings.Builder, n string, action byte, text string) error {
	switch action {
	case ':':
		lines := strings.Split(text, `\n`)
		fmt.Fprintf(out, "%s> %s\n", n, strings.Join(lines, `\n`))
		if _, err := c.conn.Write([]byte(strings.Join(lines, "\n") + "\n")); err != nil {
			return err
		}
		for range lines {
			if err := c.readReply(out, n); err != nil {
				return err
			}
		}
	case '+':
		fmt.Fprintf(out, "%s> %s (no newline)\n", n, text)
		_, err := c.conn.Write([]byte(text))
		return err
	case '#':
		size, err := strconv.Atoi(text)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s> %d bytes of x (no newline)\n", n, size)
		if _, err := c.conn.Write([]byte(strings.Repeat("x", size))); err != nil {
			return err
		}
		return c.readReply(out, n)
	case '-':
		fmt.Fprintf(out, "%s: shuts down sending\n", n)
		if err := c.conn.CloseWrite(); err != nil {
			return err
		}
		return c.play(out, n, '.', "")
	case '.':
		for {
			line, err := c.replies.ReadString('\n')
			if line != "" {
				fmt.Fprintf(out, "%s< %s", n, line)
			}
			if err == io.EOF {
				fmt.Fprintf(out, "%s: closed by the server\n", n)
				return nil
			}
			if err != nil {
				return err
			}
		}
	case '!':
		fmt.Fprintf(out, "%s: reset\n", n)
		c.conn.SetLinger(0)
		return c.conn.Close()
	}
	return nil
}

func (c *driven) readReply(out *strings.Builder, n string) error {
	line, err := c.replies.ReadString('\n')
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s< %s", n, line)
	return nil
}
