// How the parent stops: Ctrl-C wakes its accept (stop.go) and asks each
// child to stop (child.go); the accept loop then reaps every child before
// the server returns, and kills a child that outlives stopGrace.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// stopOn stops the server once a signal comes on signals (Ctrl-C), and
// passes the signal on: the accept loop is blocked in accept, so another
// goroutine must wake it. Children that are not reaped within stopGrace
// of the signal are killed. A server that ends without a signal ends the
// goroutine too.
func (srv *server) stopOn(signals <-chan os.Signal) <-chan os.Signal {
	stopped := make(chan os.Signal, 1)
	go func() {
		var sig os.Signal
		select {
		case sig = <-signals:
		case <-srv.reaped:
			return
		}
		srv.stop()
		stopped <- sig
		select {
		case <-srv.reaped:
		case <-time.After(stopGrace):
			srv.killChildren()
		}
	}()
	return stopped
}

// stop makes the accept loop return: it wakes the accept and every
// turned-away client's call, and closes no socket (sockets.stop); each
// call then reports errInterrupted, and its flow closes its socket. It
// asks every child to stop, and each child wakes its own call the same
// way (child.go). The accept loop then waits for the children, as it does
// when it ends by itself.
func (srv *server) stop() {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.stopping {
		return
	}
	srv.stopping = true
	srv.closeWakers = srv.socks.stop()
	for _, number := range sortedKeys(srv.running) {
		srv.stopChild(srv.running[number])
	}
}

// killChildren kills every child not reaped yet.
func (srv *server) killChildren() {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	const late = "child %d did not stop within %v: killing it\n"
	for _, number := range sortedKeys(srv.running) {
		fmt.Fprintf(srv.out, late, number, stopGrace)
		srv.running[number].cmd.Process.Kill()
	}
}

// abort ends the server after accept failed: it stops the children and
// reaps them as Ctrl-C does, then returns err.
func (srv *server) abort(err error) error {
	srv.stop()
	srv.reapAll()
	return err
}

// endChildren is the end of the accept loop. We stop accepting, then wait
// for every child to exit: a server that returned now would leave its
// children to init, unreaped by us. The accept loop owns the listener: it
// closes it here, once no call can still use it. After Ctrl-C, it returns
// an *interrupted.
func (srv *server) endChildren(listener *sock, last *child,
	stopped <-chan os.Signal) error {
	listener.close()
	last.release()
	srv.reapAll()
	srv.mu.Lock()
	stopping := srv.stopping
	srv.mu.Unlock()
	if !stopping {
		return nil
	}
	return &interrupted{<-stopped}
}

// reapAll waits until every child is reaped and every busy client turned
// away, then closes the sockets stop opened, if it has been called.
func (srv *server) reapAll() {
	srv.pending.Wait()
	close(srv.reaped)
	srv.mu.Lock()
	closeWakers := srv.closeWakers
	srv.closeWakers = nil
	srv.mu.Unlock()
	if closeWakers != nil {
		closeWakers()
	}
}

// interrupted is what the server returns when a signal stopped it: its
// message is the server's last line.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string {
	return fmt.Sprintf("%v: server stopped", e.sig)
}

// interruptAndWait passes sig to the server's stop, waits for the server
// to return, and returns its error, if it is not the *interrupted that
// says it stopped. Should its accept not return (a system that stop does
// not wake), we stop waiting after 2*stopGrace, past the children's
// stopGrace, and say so on stderr: the process's exit closes what is
// left.
func interruptAndWait(stop chan<- os.Signal, sig os.Signal,
	done <-chan error, stderr io.Writer) error {
	stop <- sig
	select {
	case err := <-done:
		if errors.As(err, new(*interrupted)) {
			return nil
		}
		return err
	case <-time.After(2 * stopGrace):
	}
	const late = "the server did not stop within %v of being woken\n"
	fmt.Fprintf(stderr, late, 2*stopGrace)
	return nil
}
