//go:build mutant_exitonerror

// Mutant exitonerror: the child returns when echo fails, so the process
// exits on a client's error (a reset): each such client takes a child out
// of the pool, and with -children 1 the next client waits forever.
//
// Grading tests that fail on this code: TestDescriptorsClosed, TestResetClient.

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
		if err := echo(n, client, stdout); err != nil {
			return err
		}
		client.close()
	}
}
