//go:build mutant_errorsatend

// Mutant errorsatend: the failures are kept and printed only when
// serveClients returns, as a summary. The line comes long after the fact,
// out of order with the clients served since, and never if the server dies.
//
// Grading tests that fail on this code: TestErrorLineOnStderr,
// TestOutputNamesEachClient.

package main

import (
	"fmt"
	"io"
)

// serveClients accepts clients on listener and serves them, one at a time.
// With clients > 0 it returns once that many have come and gone, served to
// the end or not; otherwise it returns only when accept fails, as it does
// when Ctrl-C closes the listener.
func serveClients(listener *sock, clients int, stdout, stderr io.Writer) error {
	var failures []string
	defer func() {
		for _, failure := range failures {
			fmt.Fprintln(stderr, failure)
		}
	}()
	for n := 1; clients == 0 || n <= clients; n++ {
		// accept blocks until a client has connected. A client that
		// connected while we served the one before has waited in the
		// listen backlog: its connect returned long ago, and accept takes
		// it at once.
		client, err := listener.accept()
		if err != nil {
			return err
		}

		// serveClient blocks until this client leaves. If it fails, the
		// failure is the client's (it reset, or went away): we say so and
		// go back to accept.
		if err := serveClient(n, client, stdout); err != nil {
			failures = append(failures, fmt.Sprintf("client %d: %v", n, err))
		}
	}
	return nil
}
