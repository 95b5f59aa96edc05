//go:build linux

// How the server stops: Ctrl-C (serve's goroutine), -clients served
// (closeIfDone), or a failure inside the loop. Each shuts the listener
// down, which ends the accept; then every client is shut down, and the
// loop returns once the last one is closed.
package main

// stopWhenClosed stops the server once stop is closed (by Ctrl-C), from a
// goroutine of its own, while the loop waits in io_uring_enter: shutting the
// listener down completes the accept in flight, which wakes the loop. The
// function it returns ends that goroutine.
func (srv *server) stopWhenClosed(stop <-chan struct{}) func() {
	finished, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-stop:
			srv.stop()
		case <-finished:
		}
	}()
	return func() {
		close(finished)
		<-watched
	}
}

// fail stops the server with err, unless something stopped it already.
func (srv *server) fail(err error) {
	if srv.failed == nil {
		srv.failed = err
	}
	srv.stop()
}

// stop ends the accept; the loop then tells every client to go.
func (srv *server) stop() {
	if !srv.stopping.Swap(true) {
		shutdownBoth(srv.listener)
	}
}

// stopAll shuts down every connection: its recv reads end-of-stream, its
// send fails, and each closes as those complete.
func (srv *server) stopAll() {
	srv.stopped = true
	for i := range srv.conns {
		if cn := &srv.conns[i]; cn.fd >= 0 {
			shutdownBoth(cn.fd)
			cn.ending = true
			srv.closeIfDone(cn) // one waiting for a buffer has nothing in flight
		}
	}
}
