//go:build mutant_quietreset

// Mutant quietreset: the child goes on after a client's error but drops
// the error instead of printing it: a reset client leaves no trace, and
// whoever runs the server cannot tell why that client was cut off.
//
// Grading tests that fail on this code: TestResetClient.

package main

import (
	"io"
	"os"
)

// serve is the parent: it has clients served by its children until Ctrl-C
// arrives on interrupted, then stops every child and returns nil.
// It starts them all at once and hands each the listening socket: the
// pool is ready before the first client comes, and it is the whole cost,
// however many clients come (UNP 30.6).
func serve(listener *sock, children int, interrupted <-chan os.Signal, family *family) error {
	defer family.stopAll()
	for range children {
		if err := family.start(listener, nil); err != nil {
			return err
		}
	}

	// The parent never accepts: the children do, and the system gives each
	// connection to one of those blocked in accept. We wait for Ctrl-C.
	<-interrupted
	return nil
}

// serveChild is child n: it serves clients on s, the socket its parent
// handed it, until the parent stops it (the process then exits wherever it
// is). It returns only if it cannot go on.
// s is the listening socket: we accept a client, echo it, close it, and
// accept the next, so the child serves one client at a time. A client's
// error is that client's: the child goes on.
func serveChild(n int, s *sock, stdout, stderr io.Writer) error {
	for {
		client, err := s.accept()
		if err != nil {
			return err
		}
		echo(n, client, stdout)
		client.close()
	}
}
