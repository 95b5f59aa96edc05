package main

import (
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"
)

// bufferSize is the seed's BUF_SIZE: how much one recv may take.
const bufferSize = 1024

// endpoint is where a program serves or connects: a host and a port.
type endpoint struct {
	host string
	port uint16
}

// serverConfig is the server's command line.
type serverConfig struct {
	at endpoint
	// how long to sleep after a pass that found nothing
	poll time.Duration
	// how many clients the loop polls at most
	maxClients int
	// stop once this many connections have closed; 0: never
	clients int
	// print the seed's log line: time and the client's port
	timestamps bool
	// totals instead of a line per line received
	quiet bool
}

// server is the state of the one thread that serves every client.
type server struct {
	config   serverConfig
	socks    *sockets
	stdout   io.Writer
	listener *sock
	clients  []*client
	// clients accepted so far, busy ones included: their numbers
	accepted int
	closed   int // connections closed so far

	acceptError string // the last error accept returned, said once
	buf         []byte
}

// servePolling is the chapter's server: one thread, non-blocking sockets,
// and a loop that asks each socket in turn whether it has something.
// ready, if not nil, learns the address as soon as a client may connect;
// the loop returns after config.clients connections have closed, or an
// *interrupted when stop delivers a signal. Either way it has closed every
// socket (and called WSACleanup) by the time it returns. The listener is
// made non-blocking (FIONBIO) before bind, as in the seed, so that accept
// never waits.
func servePolling(socks *sockets, stdout io.Writer, config serverConfig,
	ready func(netip.AddrPort), stop <-chan os.Signal) error {
	// 1. Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// 2-4. Create a socket, bind it and listen (setup.go). The deferred
	// close closes it on every return below.
	listener, addr, err := listenOn(socks, config.at,
		(*sock).setNonblocking)
	if err != nil {
		return err
	}
	defer listener.close()
	fmt.Fprintf(stdout, "listening on %v\n", addr)
	if ready != nil {
		ready(addr)
	}

	// Every return below closes each client too, before the listener.
	srv := newServer(socks, stdout, config, listener)
	defer srv.closeClients()
	for {
		// One pass: one try at accept, then one try at every client.
		// Nothing here waits, so one slow client cannot hold up the
		// rest.
		busy := srv.acceptOne()
		for _, c := range srv.clients {
			busy = srv.serveClient(c) || busy
		}
		srv.forgetClosed()
		if config.clients > 0 && srv.closed >= config.clients {
			return nil
		}

		// A pass that found nothing sleeps the poll interval, as the
		// seed's Sleep(100) does: without it, the loop would spin and
		// burn a core while every client is quiet. The sleep is also
		// how long a line may wait before anyone looks at it. Ctrl-C
		// ends the sleep early. The signal only reaches this loop,
		// between two passes: no other flow touches a socket, so the
		// deferred closes close each one once, after its last call, and
		// no client's line says it left: the caller says the server was
		// interrupted.
		if sig := srv.pause(busy, stop); sig != nil {
			return &interrupted{sig}
		}
	}
}

// newServer is the state of the loop, around the listening socket.
func newServer(socks *sockets, stdout io.Writer, config serverConfig,
	listener *sock) *server {
	return &server{config: config, socks: socks, stdout: stdout,
		listener: listener, buf: make([]byte, bufferSize)}
}

// interrupted is how servePolling returns when a signal stopped it: not a
// failure, and said once everything is closed.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string {
	return fmt.Sprintf("%v: server stopped", e.sig)
}

// pause sleeps the poll interval after a pass that found nothing, and
// returns the signal that asks the server to stop, if one came.
func (srv *server) pause(busy bool, stop <-chan os.Signal) os.Signal {
	if busy || srv.config.poll == 0 {
		select {
		case sig := <-stop:
			return sig
		default:
			return nil
		}
	}
	timer := time.NewTimer(srv.config.poll)
	defer timer.Stop()
	select {
	case sig := <-stop:
		return sig
	case <-timer.C:
		return nil
	}
}

// closeClients closes every client still open; it is how the server
// stops, whatever the reason (the listener is closed after it).
func (srv *server) closeClients() {
	for _, c := range srv.clients {
		if c.open {
			c.s.close()
		}
	}
	srv.clients = nil
}
