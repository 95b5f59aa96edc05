//go:build !solution && !mutant_closelistener && !mutant_exitonerror && !mutant_leakonerror && !mutant_noclose && !mutant_noloop && !mutant_nostop && !mutant_oneless && !mutant_quietreset && !mutant_spinwait

package main

import (
	"fmt"
	"io"
	"os"
)

// serve is the parent: it has clients served by its children until Ctrl-C
// arrives on interrupted, then stops every child and returns nil.
//
// TODO: as it stands it is the chapter's model: it accepts each client
// itself and starts a child for it, handing it the client's connection.
// Make it a preforked server:
//   - Start -children children at once, before any client comes, each with
//     family.start(listener, nil): each is handed the listening socket, and
//     accepts on it itself (serveChild). Our copy stays open until main
//     closes it, once the children have exited.
//   - Then only wait for interrupted: the parent never accepts.
//   - Then stop every child with family.stopAll and return nil.
//   - If a child does not start, stop those that did and return the error.
//
// Grading tests that fail on this code: TestDescriptorsClosed,
// TestPoolStartsFirst, TestResetClient, TestTwoAtOnce.
func serve(listener *sock, children int, interrupted <-chan os.Signal, family *family) error {
	defer family.stopAll()
	stopping := make(chan struct{})
	go func() {
		<-interrupted
		close(stopping)
		listener.stopAccepting()
	}()
	for {
		client, err := listener.accept()
		if err != nil {
			select {
			case <-stopping:
				return nil // Ctrl-C made accept return
			default:
				return err
			}
		}
		// The child has its own copy of client; ours we close once the
		// child has exited.
		if err := family.start(client, client.close); err != nil {
			fmt.Fprintln(family.stderr, err)
			client.close()
		}
	}
}

// serveChild is child n: it serves clients on s, the socket its parent
// handed it, until the parent stops it (the process then exits wherever it
// is). It returns only if it cannot go on.
//
// TODO: as it stands s is a client's connection: the child echoes it and
// returns, and the process exits. Once the parent hands every child the
// listening socket, make the child loop: accept a client on s, echo it,
// close the client's socket, and accept the next. A client's error (one
// that resets its connection, say) is that client's: print "child n: " and
// the error on stderr and go on, or every such client would take a child
// out of the pool.
func serveChild(n int, s *sock, stdout, stderr io.Writer) error {
	return echo(n, s, stdout)
}
