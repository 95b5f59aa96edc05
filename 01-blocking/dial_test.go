package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/google/go-cmdtest"
)

// A transcript's client that stays connected while the transcript goes
// on, so that Ctrl-C can find the server in the middle of an exchange:
//
//	dial MESSAGE   connects to 127.0.0.1:${PORT}, sends MESSAGE, reads its echo
//	hangup         reads until the server closes, then closes too
//
// It is Go's net package, as in the fault tests: the program's own client
// would hold the transcript until it ends.
type dialer struct{ conn net.Conn }

// dialCommands gives a transcript suite its dial and hangup, with a
// dialer of its own.
func dialCommands() map[string]cmdtest.CommandFunc {
	d := &dialer{}
	return map[string]cmdtest.CommandFunc{"dial": d.dial, "hangup": d.hangup}
}

func (d *dialer) dial(args []string, _ string) ([]byte, error) {
	if len(args) != 1 || d.conn != nil {
		return nil, errors.New("usage: dial MESSAGE, once before each hangup")
	}
	conn, err := net.DialTimeout("tcp", "127.0.0.1:"+os.Getenv("PORT"), 30*time.Second)
	if err != nil {
		return nil, err
	}
	d.conn = conn
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, args[0]); err != nil {
		return nil, err
	}
	echo := make([]byte, len(args[0]))
	if _, err := io.ReadFull(conn, echo); err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "sent %q, got %q back; still connected\n", args[0], echo), nil
}

func (d *dialer) hangup(args []string, _ string) ([]byte, error) {
	if d.conn == nil {
		return nil, errors.New("hangup: no connection: dial first")
	}
	defer func() { d.conn = nil }()
	rest, err := io.ReadAll(d.conn)
	if err != nil {
		d.conn.Close()
		return nil, fmt.Errorf("hangup: reading until the server closes: %v", err)
	}
	if err := d.conn.Close(); err != nil {
		return nil, err
	}
	return fmt.Appendf(nil, "the server closed the connection (%d bytes more); closed ours\n", len(rest)), nil
}
