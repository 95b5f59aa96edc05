//go:build !solution && !mutant_doublerelease && !mutant_enobufshangup && !mutant_enobufsrepost && !mutant_eofrepost && !mutant_givebackearly && !mutant_ignorestop && !mutant_leakoneof && !mutant_nobufferselect && !mutant_nobufgroup && !mutant_nogiveback && !mutant_nolock && !mutant_norearm && !mutant_pendingsendfails && !mutant_pollport && !mutant_rearmwhilearmed && !mutant_recvwhilesending && !mutant_stopsonerror && !mutant_workerperclient && !mutant_wrongbufferid

// The part of the Windows half you write. As given, the server accepts
// clients, associates each one's socket with the port and posts its first
// recv; but no thread waits on the port, so no completion is ever taken,
// and no client gets an echo. Start the pool of workers, write the
// worker's loop and the two completion handlers. The TODOs say how.
package main

import (
	"golang.org/x/sys/windows"
)

// startWorkers starts the pool, once, as the server starts.
//
// TODO: start srv.workers goroutines with srv.running.Go, so that the
// server can wait for them as it stops. Each calls runtime.LockOSThread
// first: the port counts and wakes threads, not goroutines, and a worker
// must stay one OS thread for its whole life. Then it runs worker(srv).
//
// Grading tests that fail on this code: TestManyClients, TestCtrlCWithAClient,
// TestClientReadsLate, TestFixedPool, TestClientsComeAndGo, TestResetClients.
func startWorkers(srv *server) {
}

// worker is one thread of the pool.
//
// TODO: loop: srv.getQueuedCompletionStatus(windows.INFINITE) waits for
// the next packet, for as long as it takes: a worker has nothing else to do.
//   - a packet with no OVERLAPPED (nil) is the stop packet that shutDown
//     posts, one per worker: return;
//   - otherwise srv.conn(key) is the client, and recordOf(overlapped).op
//     says which operation completed: opRecv goes to onRecv, opSend to
//     onSend, with the bytes and err. An err there is that operation's
//     failure, not the port's: the worker goes on.
func worker(srv *server) {
}

// onAccept starts serving a client the accept loop has just associated
// with the port: its first recv.
func onAccept(srv *server, c *conn) {
	postRecv(srv, c)
}

// postRecv posts an overlapped WSARecv into c's buffer, with c.recv's
// OVERLAPPED and no completion routine: it completes through the port.
// WSARecv returns at once: nil if the bytes were there already, or
// ERROR_IO_PENDING (WSA_IO_PENDING) if they are still to come. Either way
// the completion comes through the port later; any other error means that
// nothing was posted, and the client ends here.
func postRecv(srv *server, c *conn) {
	rec := &c.recv
	rec.overlapped = windows.Overlapped{}
	rec.wsabuf = windows.WSABuf{Len: bufferSize, Buf: &c.buf[0]}
	rec.flags = 0
	err := windows.WSARecv(c.sock, &rec.wsabuf, 1, nil, &rec.flags, &rec.overlapped, nil)
	if err != nil && err != windows.ERROR_IO_PENDING {
		srv.release(c, "WSARecv", err)
	}
}

// postSend posts an overlapped WSASend of what c's buffer holds and has not
// been sent yet: c.buf[c.sent:c.filled].
//
// TODO: as postRecv does, with c.send's record; WSASend takes its flags
// (0) as a value, not a pointer.
func postSend(srv *server, c *conn) {
}

// onRecv handles a recv's completion on c: bytes received, or err.
//
// TODO: 0 bytes means the client has gone, and an error ends it too:
// srv.release(c, "WSARecv", err), once, and nothing more for c. Otherwise
// note what came (c.filled, c.sent) and post the send of it. Until that
// send has completed, the buffer is its: post no recv into it meanwhile.
func onRecv(srv *server, c *conn, bytes uint32, err error) {
}

// onSend handles a send's completion on c: bytes sent, or err.
//
// TODO: an error ends the client (srv.release, once). Otherwise add bytes
// to c.sent: if part of the buffer is still to go, post the send of the
// rest; once all of it is sent, post the next recv.
func onSend(srv *server, c *conn, bytes uint32, err error) {
}
