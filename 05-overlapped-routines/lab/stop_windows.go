// How the server stops: Ctrl-C (serve), -clients served (release), or a
// failed accept. The listener closes, which ends the accept loop; every
// client's operations are cancelled, and the workers release each client
// as its cancelled operation completes; then one stop packet per worker
// ends the pool.
package main

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/windows"
)

// The bounds of a stop: how long the workers may take to release every
// client once its operations are cancelled, and to return once the stop
// packets are posted. Both fit in stopGrace (main.go).
const (
	releaseWithin = 2 * time.Second
	returnWithin  = 2 * time.Second
)

// isStopping tells whether the server has begun to stop.
func (srv *server) isStopping() bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return srv.stopping
}

// fail stops the server with err, unless something stopped it already.
func (srv *server) fail(err error) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if !srv.stopping {
		srv.failure = err
	}
	srv.stopLocked()
}

// stopLocked marks the server stopping and wakes serve, once.
func (srv *server) stopLocked() {
	if !srv.stopping {
		srv.stopping = true
		close(srv.stopNow)
	}
}

// noteClosedLocked closes allClosed once the server is stopping and no
// client is open.
func (srv *server) noteClosedLocked() {
	if srv.stopping && srv.open == 0 && !srv.closedAll {
		close(srv.allClosed)
		srv.closedAll = true
	}
}

// shutDown ends the accept loop, cancels every client's operations, waits
// for the workers to release them all, then posts a stop packet per worker
// and waits for the workers to return. It says what did not end in time.
// The records stay pinned, and the port open, unless everything did: the
// kernel may still write into them.
func (srv *server) shutDown(accepting <-chan struct{}) error {
	srv.mu.Lock()
	srv.stopLocked()
	srv.mu.Unlock()
	windows.Closesocket(srv.listener) // the accept waiting in it fails
	<-accepting
	srv.cancelAll()

	var errs []error
	select {
	case <-srv.allClosed:
	case <-time.After(releaseWithin):
		srv.mu.Lock()
		errs = append(errs, fmt.Errorf("stop: %d of the clients were still open %v after their operations were cancelled",
			srv.open, releaseWithin))
		srv.mu.Unlock()
	}
	for range srv.workers {
		if err := postStop(srv.port); err != nil {
			errs = append(errs, failed("PostQueuedCompletionStatus", "", err))
			break
		}
	}
	returned := make(chan struct{})
	go func() {
		srv.running.Wait()
		close(returned)
	}()
	select {
	case <-returned:
	case <-time.After(returnWithin):
		errs = append(errs, fmt.Errorf("stop: the workers had not all returned %v after %d stop packets were posted",
			returnWithin, srv.workers))
	}
	if len(errs) == 0 {
		windows.CloseHandle(srv.port)
		srv.pinner.Unpin()
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return errors.Join(append([]error{srv.failure}, errs...)...)
}

// cancelAll shuts every open client's socket down, so that a recv or send
// posted from now on fails at once, and cancels what is in flight on it
// (CancelIoEx): each completes with WSA_OPERATION_ABORTED, and a worker
// releases the client.
func (srv *server) cancelAll() {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for i := range srv.conns {
		if c := &srv.conns[i]; c.sock != windows.InvalidHandle {
			windows.Shutdown(c.sock, sdBoth)
			windows.CancelIoEx(c.sock, nil)
		}
	}
	srv.noteClosedLocked()
}
