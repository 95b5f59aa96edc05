//go:build mutant_workerperclient

// Mutant workerperclient: a worker per client, started as the client comes (chapter 03's
// thread per client, over a port): the threads grow with the clients, and the pool's
// stop packets end only the workers startWorkers started.
//
// Grading tests that fail on this code: TestCtrlCWithAClient, TestFixedPool, TestManyClients.
package main

import (
	"runtime"

	"golang.org/x/sys/windows"
)

// startWorkers starts the pool: srv.workers goroutines, each locked to an
// OS thread of its own for its whole life, each running worker.
func startWorkers(srv *server) {
	for range srv.workers {
		srv.running.Go(func() {
			runtime.LockOSThread()
			worker(srv)
		})
	}
}

// worker takes completions from the port until it takes the stop packet,
// and hands each to the handler of the operation its OVERLAPPED was for.
func worker(srv *server) {
	for {
		bytes, key, overlapped, err := srv.getQueuedCompletionStatus(windows.INFINITE)
		if overlapped == nil {
			return // the stop packet; or the port itself failed (err)
		}
		c := srv.conn(key)
		switch recordOf(overlapped).op {
		case opRecv:
			onRecv(srv, c, bytes, err)
		case opSend:
			onSend(srv, c, bytes, err)
		}
	}
}

// onAccept starts serving a client the accept loop has just associated
// with the port: its first recv.
func onAccept(srv *server, c *conn) {
	srv.running.Go(func() {
		runtime.LockOSThread()
		worker(srv)
	})
	postRecv(srv, c)
}

// postRecv posts an overlapped WSARecv into c's buffer, with c.recv's
// OVERLAPPED and no completion routine: it completes through the port.
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
// been sent yet, with c.send's OVERLAPPED.
func postSend(srv *server, c *conn) {
	rec := &c.send
	rec.overlapped = windows.Overlapped{}
	rec.wsabuf = windows.WSABuf{Len: uint32(c.filled - c.sent), Buf: &c.buf[c.sent]}
	err := windows.WSASend(c.sock, &rec.wsabuf, 1, nil, 0, &rec.overlapped, nil)
	if err != nil && err != windows.ERROR_IO_PENDING {
		srv.release(c, "WSASend", err)
	}
}

// onRecv handles a recv's completion: 0 bytes, the client has gone; an
// error ends it too; else we send back what came.
func onRecv(srv *server, c *conn, bytes uint32, err error) {
	if err != nil || bytes == 0 {
		srv.release(c, "WSARecv", err)
		return
	}
	c.filled, c.sent = int(bytes), 0
	postSend(srv, c)
}

// onSend handles a send's completion: a send may take part of the buffer,
// so we send the rest; once it is all sent, the buffer is free for the
// next recv.
func onSend(srv *server, c *conn, bytes uint32, err error) {
	if err != nil {
		srv.release(c, "WSASend", err)
		return
	}
	c.sent += int(bytes)
	if c.sent < c.filled {
		postSend(srv, c)
		return
	}
	postRecv(srv, c)
}
