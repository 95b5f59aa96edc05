//go:build mutant_countsuccess

// Mutant countsuccess: the count goes up only when a client was served to
// the end, so the client after one that failed gets the failed one's number,
// and -clients stops counting failed clients.
//
// Grading tests that fail on this code: TestOutputNamesEachClient.

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
	for n := 1; clients == 0 || n <= clients; {
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
			fmt.Fprintf(stderr, "client %d: %v\n", n, err)
			continue
		}
		n++
	}
	return nil
}
