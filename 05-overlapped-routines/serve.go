package main

import (
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"time"
)

// serverConfig is what the command line and the demo choose.
type serverConfig struct {
	at           endpoint
	quiet        bool
	backend      string
	maxClients   int
	clients      int                  // stop once this many have come and gone; 0: never
	acceptPosted bool                 // -accept=posted
	stop         <-chan struct{}      // closed to stop the server
	ready        func(netip.AddrPort) // if not nil, learns the address once it listens
	waited       func()               // if not nil, called after each wait that ran routines
}

// runServer sets the server up, serves until cfg.stop is closed, and says
// how much it served.
func runServer(socks *sockets, stdout, stderr io.Writer, cfg serverConfig) error {
	// The thread that makes the engine is the one that serves: Windows
	// queues a routine to the thread that posted it, and an io_uring made
	// with IORING_SETUP_SINGLE_ISSUER takes submissions from its maker only.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	keepSpareP()
	maxClients := cfg.maxClients
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// Every client is a descriptor: we raise the soft limit as far as the
	// hard one allows, and say so when that is fewer than -max-clients.
	if limit, err := raiseFileLimit(); err == nil && limit > 0 && limit < uint64(maxClients)+16 {
		fmt.Fprintf(stderr, "RLIMIT_NOFILE is %d: fewer than %d clients fit at once\n", limit, maxClients)
	}
	eng, err := newEngine(socks, cfg.backend, maxClients, stderr)
	if err != nil {
		return err
	}
	srv := newServer(socks, stdout, cfg.quiet, eng, maxClients)
	srv.waited, srv.limit, srv.acceptPosted = cfg.waited, cfg.clients, cfg.acceptPosted
	defer func() {
		if srv.inFlight() == 0 {
			eng.close() // with operations in flight, the kernel may still use the buffers
		}
	}()
	err = srv.listen(cfg.at, cfg.ready)
	if srv.listener != nil {
		defer srv.listener.close()
	}
	if err != nil {
		return err
	}

	go func() {
		<-cfg.stop
		srv.stopping.Store(true)
	}()
	if err := srv.serve(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "served %d %s, echoed %d bytes\n", srv.clients, plural(srv.clients, "client"), srv.echoed)
	return nil
}

// drain ends every client still connected: it cancels the operation in
// flight, and runs the routines in alertable waits until none is left.
func (srv *server) drain() error {
	if srv.acceptInFlight {
		srv.eng.cancel(srv.listener, acceptUserData)
	} else {
		srv.listener.close()
	}
	for i := range srv.records {
		if c := &srv.records[i]; c.s != nil && c.routine != nil {
			c.cancelled = true
			srv.eng.cancel(c.s, uint64(c.slot))
		}
	}
	deadline := time.Now().Add(stopGrace)
	for srv.inFlight() > 0 && time.Now().Before(deadline) {
		if _, err := srv.eng.alertableWait(srv, waitTimeout); err != nil {
			return err
		}
	}
	return nil
}

// inFlight counts the operations whose routine has not run yet.
func (srv *server) inFlight() int {
	n := 0
	if srv.acceptInFlight {
		n++
	}
	for i := range srv.records {
		if srv.records[i].routine != nil {
			n++
		}
	}
	return n
}

// plural is word, with an s unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
