package main

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"os"
	"runtime"
	"time"
)

// serverConfig is what the command line and the demo choose.
type serverConfig struct {
	at           endpoint
	quiet        bool
	backend      string
	maxClients   int
	clients      int  // stop once this many have come and gone; 0: never
	acceptPosted bool // -accept=posted
	// waited, if not nil, is called after each wait that ran routines.
	waited func()
}

// runServer makes what the model runs on, then serves (serveRoutines).
// The thread that makes the engine is the one that serves: Windows
// queues a routine to the thread that posted it, and an io_uring made
// with IORING_SETUP_SINGLE_ISSUER takes submissions from its maker only.
func runServer(socks *sockets, stdout, stderr io.Writer, config serverConfig,
	ready func(netip.AddrPort), stop <-chan os.Signal) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	keepSpareP()

	// Every client is a descriptor: we raise the soft limit as far as the
	// hard one allows, and say so when that is fewer than -max-clients.
	maxClients := config.maxClients
	limit, err := raiseFileLimit()
	if err == nil && limit > 0 && limit < uint64(maxClients)+16 {
		fmt.Fprintf(stderr, "RLIMIT_NOFILE is %d: "+
			"fewer than %d clients fit at once\n",
			limit, maxClients)
	}
	eng, err := newEngine(socks, config.backend, maxClients, stderr)
	if err != nil {
		return err
	}
	return serveRoutines(socks, stdout, config, ready, eng, stop)
}

// beforeBind is what the listener needs before bind: the seed's
// ioctlsocket(FIONBIO), so that accept returns at once when nobody waits.
// A posted accept on io_uring needs none: the kernel waits for the client
// itself (engine.blockingSockets).
func beforeBind(eng engine, acceptPosted bool) func(*sock) error {
	if acceptPosted && eng.blockingSockets() {
		return nil
	}
	return (*sock).setNonblocking
}

// newServer makes the table of records, each with its fixed buffer.
func newServer(socks *sockets, out io.Writer, config serverConfig,
	eng engine) *server {
	srv := &server{config: config, socks: socks, out: out, eng: eng}
	srv.records = make([]record, config.maxClients)
	srv.free = make([]int, 0, config.maxClients)
	for slot := config.maxClients - 1; slot >= 0; slot-- {
		srv.records[slot].buf = eng.buffer(slot)
		srv.free = append(srv.free, slot)
	}
	return srv
}

// sayListening says the server listens and, with -accept=posted, posts the
// accept. The two lines go out in one write, so that a reader of the
// output as it comes (a test waiting for "listening on") sees them together.
func (srv *server) sayListening(addr netip.AddrPort) {
	said := srv.out
	var lines bytes.Buffer
	fmt.Fprintf(&lines, "listening on %v\n", addr)
	if srv.config.acceptPosted {
		srv.out = &lines
		postAccept(srv)
		srv.out = said
	}
	said.Write(lines.Bytes())
}

// caught returns the signal that asks the server to stop, if one came,
// without waiting for one.
func caught(stop <-chan os.Signal) os.Signal {
	select {
	case sig := <-stop:
		return sig
	default:
		return nil
	}
}

// stop ends the server: it ends every client still connected (drain),
// says how much it served, unless a routine failed, and returns why.
func (srv *server) stop(why error) error {
	if err := srv.drain(); err != nil {
		return err
	}
	if srv.failed != nil {
		return srv.failed
	}
	fmt.Fprintf(srv.out, "served %d %s, echoed %d bytes\n",
		srv.accepted, plural(srv.accepted, "client"), srv.echoed)
	return why
}

// drain ends every client still connected: it cancels the operation in
// flight, and runs the routines in alertable waits until none is left.
func (srv *server) drain() error {
	srv.stopping = true
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
		_, err := srv.eng.alertableWait(srv, waitTimeout)
		if err != nil {
			return err
		}
	}
	return nil
}

// closeEngine frees the engine's buffers, unless operations are still in
// flight: then the kernel may still use them.
func (srv *server) closeEngine() {
	if srv.inFlight() == 0 {
		srv.eng.close()
	}
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

// interrupted is how serveRoutines returns when a signal stopped it: not
// a failure, and said once everything is closed.
type interrupted struct{ sig os.Signal }

func (e *interrupted) Error() string {
	return fmt.Sprintf("%v: server stopped", e.sig)
}

// narrating tells whether each step is narrated: not with -quiet, which
// asks for totals only. The hot path asks before it formats anything, so
// that a quiet server allocates nothing per operation.
func (srv *server) narrating() bool { return !srv.config.quiet }

// sayf narrates one step, unless -quiet asked for totals only.
func (srv *server) sayf(format string, args ...any) {
	if srv.narrating() {
		fmt.Fprintf(srv.out, format+"\n", args...)
	}
}
