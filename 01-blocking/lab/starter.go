//go:build !solution && !mutant_samenumber

package main

import "io"

// serveClients accepts clients on listener and serves them, one at a time.
//
// TODO: as it stands it serves one client and returns, as the chapter's
// server does, and the program exits. Make it serve clients one after
// another:
//   - After a client leaves, go back to accept the next one. Number the
//     clients 1, 2, 3, ... for serveClient.
//   - With clients > 0, return nil once that many clients have been served;
//     with clients == 0, never stop by itself.
//   - When accept fails, return its error: that is how Ctrl-C, which closes
//     the listener, ends the loop.
//   - When serveClient fails (say, the client reset its connection), print
//     "client N: " and the error on stderr and go on to the next client:
//     one client's failure is not the server's.
//
// Grading tests that fail on this code: TestClientsFlag, TestClientsInTurn,
// TestCtrlCBetweenClients, TestResetClientDoesNotStopServer,
// TestWaitingClientIsServedNext.
func serveClients(listener *sock, clients int, stdout, stderr io.Writer) error {
	client, err := listener.accept()
	if err != nil {
		return err
	}
	return serveClient(1, client, stdout)
}
