// The hand-over of a connection to a child process, as the server and the
// child make it: as in calls.go, each call calls its twin (in child_unix.go
// or child_windows.go), writes a trace line, and turns a failure into an
// error that names it.
package main

import (
	"fmt"
	"io"
)

// handTo starts the child k and hands it this connection.
func (s *sock) handTo(k *child) error {
	var err error
	k.stopPipe, err = startChild(k.cmd, s.h)
	s.table.tracef("0", err, formatStartChild, k.n, s)
	if err != nil {
		return &opError{call: fmt.Sprintf("child %d", k.n), addr: s.label, err: err}
	}
	return nil
}

// stopChild asks the child k, which serves this connection, to stop.
func (s *sock) stopChild(k *child) error {
	err := stopChild(k.cmd, k.stopPipe)
	s.table.tracef("0", err, formatStopChild, k.n)
	return err
}

// inherit returns the socket the server handed to this child process. The
// child's table is its own: the socket is sock 1 in its trace, whatever its
// number in the server's. Its errors name the client's address, without
// the port, as the server's accept does.
func (t *sockets) inherit(stdin io.Reader) (*sock, error) {
	h, err := inheritedSocket(stdin)
	var s *sock
	result := ""
	if err == nil {
		label := ""
		if peer, perr := peerAddr(h); perr == nil {
			label = peer.Addr().String()
		}
		s = t.add(h, label, connected)
		result = fmt.Sprintf(formatInherited, s)
	}
	t.tracef(result, err, "%s", nameInherit)
	if err != nil {
		return nil, &opError{call: "inheriting the client's socket", err: err}
	}
	return s, nil
}
