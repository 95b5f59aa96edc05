//go:build !solution && !mutant_acceptretry && !mutant_closelistener && !mutant_concurrent && !mutant_countsuccess && !mutant_errorsatend && !mutant_errortostdout && !mutant_noerrorline && !mutant_offbyone && !mutant_osexit && !mutant_samenumber && !mutant_stoponerror && !mutant_zeromeansnone

package main

import "io"

// serveClients accepts clients on listener and serves them, one at a time.
//
// TODO: as it stands it serves one client and returns, as the chapter's
// server does, and the program exits. Make it serve clients one after
// another:
//   - After a client leaves, go back to accept the next one. Number the
//     clients 1, 2, 3, ... in the order accept returns them, and pass the
//     number to serveClient.
//   - With clients > 0, return nil once that many clients have come and
//     gone (one whose visit failed counts too); with clients == 0, never
//     stop by itself.
//   - When accept fails, return its error: that is how Ctrl-C, which closes
//     the listener, ends the loop.
//   - When serveClient fails (say, the client reset its connection), print
//     "client N: " and the error on stderr at once, and go on to the next
//     client: one client's failure is not the server's.
//
// Grading tests that fail on this code: TestClientsFlag, TestClientsInTurn,
// TestCtrlCBetweenClients, TestErrorLineOnStderr, TestOutputNamesEachClient,
// TestResetClientDoesNotStopServer, TestWaitingClientIsServedNext.
func serveClients(listener *sock, clients int, stdout, stderr io.Writer) error {
	client, err := listener.accept()
	if err != nil {
		return err
	}
	return serveClient(1, client, stdout)
}
