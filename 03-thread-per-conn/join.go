// How the server stops: Ctrl-C wakes every blocked thread (sockets.stop,
// in stop.go), and thread 1 waits for them all, as a C program joins its
// threads.
package main

import (
	"fmt"
	"os"
	"time"
)

// isStopping says whether stop has been called.
func (srv *server) isStopping() bool {
	return srv.socks.stopped()
}

// joinEnded waits, at most wait, for the threads whose goroutines have
// returned to be gone, and closes their handles: what the seed should have
// done with CreateThread's handle. The OS thread ends a moment after its
// goroutine; a process that exits in that moment is killed outright under
// Wine now and then (2 exits in 180 here), and a handle not closed keeps
// a dead thread's kernel object. On POSIX there is nothing to join.
func (srv *server) joinEnded(wait time.Duration) {
	srv.mu.Lock()
	ended := srv.ended
	srv.ended = nil
	srv.mu.Unlock()
	var running []threadHandle
	for _, h := range ended {
		if !joinThread(h, wait) {
			running = append(running, h)
		}
	}
	srv.mu.Lock()
	srv.ended = append(srv.ended, running...)
	srv.mu.Unlock()
}

// stop is what Ctrl-C does: it wakes every blocked thread and closes no
// socket (sockets.stop). Thread 1's accept returns, and no client is let
// in; each serving thread's recv or send returns; each call then reports
// errInterrupted, and each thread closes its own socket as it ends.
func (srv *server) stop() {
	closeWakers := srv.socks.stop()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.closeWakers = append(srv.closeWakers, closeWakers)
}

// wait waits until every serving thread has ended, at most grace, and says
// whether they all did; then it closes the sockets stop opened. A thread
// that did not end keeps its socket, which the process's exit closes: we
// never close a socket under a thread that may still use it.
func (srv *server) wait(grace time.Duration) bool {
	done := make(chan struct{})
	go func() {
		srv.threads.Wait()
		close(done)
	}()
	ended := true
	select {
	case <-done:
		srv.joinEnded(grace)
	case <-time.After(grace):
		ended = false
	}
	srv.mu.Lock()
	closers := srv.closeWakers
	srv.closeWakers = nil
	srv.mu.Unlock()
	for _, closeWakers := range closers {
		closeWakers()
	}
	return ended
}

// stopOn calls stop once a signal comes on signals (Ctrl-C), and passes
// the signal on: thread 1 is in accept, so another goroutine must wake it.
// A server that ends without a signal ends the goroutine too.
func (srv *server) stopOn(signals <-chan os.Signal) <-chan os.Signal {
	stopped := make(chan os.Signal, 1)
	go func() {
		select {
		case sig := <-signals:
			srv.stop()
			stopped <- sig
		case <-srv.returned:
		}
	}()
	return stopped
}

// abort ends the server after accept failed: it wakes every thread and
// waits for them as Ctrl-C does, then returns err.
func (srv *server) abort(err error) error {
	defer close(srv.returned)
	srv.stop()
	srv.wait(stopGrace)
	return err
}

// endThreads is the end of the accept loop. Thread 1 owns the listener and
// closes it; with -clients, only once every thread has ended, so that its
// trace line never falls between the lines of a serving thread. After
// Ctrl-C, it waits for the woken threads, and returns an *interrupted.
func (srv *server) endThreads(listener *sock, stopped <-chan os.Signal) error {
	defer close(srv.returned)
	if !srv.isStopping() {
		srv.threads.Wait()
		srv.joinEnded(stopGrace)
	}
	listener.close()
	if !srv.isStopping() {
		return nil
	}
	sig := <-stopped
	if srv.wait(stopGrace) {
		return &interrupted{sig}
	}
	srv.errs.printf("a thread did not return within %v of being woken\n",
		stopGrace)
	return &interrupted{sig}
}

// interrupted is what the server returns when a signal stopped it: its
// message is the server's last line.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string {
	return fmt.Sprintf("%v: server stopped", e.sig)
}
