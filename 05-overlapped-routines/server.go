package main

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"runtime"
	"sync/atomic"
	"time"
)

// bufferSize is what one recv may take: the seed's BUF_SIZE is 1024, and
// each recv is one completion, one routine, one more trip round the loop:
// a 16 KiB message took 16 recvs and 16 sends. With 16 KiB, one recv
// usually takes it whole. 4 KiB was slower and 64 KiB no faster, with 50
// clients each echoing 16 KiB (the README says how we measured); a client
// costs its buffer, reserved for each of -max-clients, but only the pages
// a client fills are ever really allocated (on Linux).
const bufferSize = 16 << 10

// waitTimeout is the seed's SleepEx(100, TRUE): how long one alertable wait
// lasts when no routine is queued, and so how often we try accept.
const waitTimeout = 100 * time.Millisecond

// acceptEvery is how often a busy server tries accept: a client that
// connects while routines keep running waits at most this long.
const acceptEvery = time.Millisecond

// endpoint is where a program serves or connects: a host and a port.
type endpoint struct {
	host string
	port uint16
}

// routine is a completion routine, told the outcome of the operation the
// record posted (bytes moved, or the error that ended it, like the seed's
// dwError). On Windows the system calls it, inside SleepEx; on Linux no
// kernel calls anything in a program: alertableWait reaps the completions
// io_uring (or poll) reports and calls each routine itself.
type routine func(srv *server, c *record, n int, err error)

// record is the seed's PER_IO_DATA: one per client, it holds the socket, the
// buffer the kernel reads from and writes to, and the routine to run when
// the operation now posted completes. The buffer lives in memory the engine
// owns, which Go's collector will neither move nor free while the kernel
// uses it (an mmap'd arena on POSIX, a pinned slice on Windows).
type record struct {
	slot    int // its index in the table: the user_data the kernel gives back
	number  int // client 1, client 2, ... in the order they came
	s       *sock
	buf     []byte
	filled  int     // bytes the last recv put in buf
	sent    int     // of those, bytes the sends took so far
	op      int     // opRecv or opSend: the operation in flight
	routine routine // nil: no operation in flight
	echoed  int64
	// cancelled: the stopping server cancelled the operation in flight
	// (drain), so whatever its routine is told, the client did not go.
	cancelled bool
}

// The operations a record may have in flight.
const (
	opRecv = 1
	opSend = 2
)

// engine is what the model needs from the system. It posts an operation
// and returns at once; the operation's routine runs later, and only inside
// alertableWait, on the thread that calls it. overlapped_windows.go has the
// real thing (WSARecv, WSASend, SleepEx); Linux has io_uring (uring_linux.go)
// and, where that is missing, an emulation over poll(2) (poll_unix.go).
type engine interface {
	buffer(slot int) []byte // the fixed buffer of a record
	postRecv(c *record) error
	postSend(c *record) error
	// postAccept posts an accept on the listener; its routine is
	// onAcceptComplete, with the new client's socket.
	postAccept(listener *sock) error
	// blockingSockets tells whether the sockets the engine reads and
	// writes stay blocking. io_uring's do: the kernel waits for a blocking
	// socket itself, while on an O_NONBLOCK one a recv or send may
	// complete with EAGAIN (ring_linux.go). The poll emulation does the
	// I/O itself once poll says "ready", and needs O_NONBLOCK, as the
	// seed's sockets have FIONBIO on Windows.
	blockingSockets() bool
	// cancel makes the operation in flight on the socket complete, as
	// the server stops, so that its routine runs: s is a client's socket,
	// or the listener of the accept in flight.
	cancel(s *sock, userData uint64)
	// alertableWait waits at most timeout for completions and runs each
	// one's routine through srv.complete; it returns how many ran.
	alertableWait(srv *server, timeout time.Duration) (int, error)
	close()
}

// server is the one thread that serves every client.
type server struct {
	socks    *sockets
	out      io.Writer
	quiet    bool
	eng      engine
	listener *sock
	records  []record
	free     []int // slots of records not in use
	clients  int   // clients served so far
	echoed   int64
	stopping atomic.Bool
	waited   func()

	acceptPosted   bool  // -accept=posted: an accept operation, not the seed's tries
	acceptInFlight bool  // its routine has not run yet
	failed         error // what stopped the server from inside a routine

	addr  netip.AddrPort       // where it listens
	ready func(netip.AddrPort) // told addr once the server takes clients
	limit int                  // stop once this many clients have left; 0: never
	left  int
}

// serve is the seed's main loop, on one locked OS thread: Windows queues a
// routine to the thread that issued the I/O, so every post and every wait
// must be made from the same one (on Linux one thread owns the ring, as
// IORING_SETUP_SINGLE_ISSUER would require). It returns once stop is called.
func (srv *server) serve() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// It listens since listen; the accept, if posted, comes next. The two
	// lines go out in one write, so that a reader of the output as it
	// comes (a test waiting for "listening on") sees them together.
	said := srv.out
	var lines bytes.Buffer
	fmt.Fprintf(&lines, "listening on %v\n", srv.addr)
	if srv.acceptPosted {
		srv.out = &lines
		postAccept(srv)
		srv.out = said
	}
	said.Write(lines.Bytes())
	if srv.ready != nil {
		srv.ready(srv.addr)
	}
	var lastTry time.Time
	for !srv.stopping.Load() {
		// The alertable wait: the only place completion routines run.
		ran, err := srv.eng.alertableWait(srv, waitTimeout)
		if err != nil {
			return err
		}
		if ran > 0 && srv.waited != nil {
			srv.waited()
		}
		// The seed calls accept once a round; we take every waiting
		// client, so that a crowd is not let in at ten a second. Under
		// traffic a round lasts microseconds, and a try that finds nobody
		// is a system call for nothing (strace counted one accept4 per
		// io_uring_enter): so we try after a wait that ran no routine, or
		// once acceptEvery has passed since the last try.
		if !srv.acceptPosted && (ran == 0 || time.Since(lastTry) >= acceptEvery) {
			lastTry = time.Now()
			if err := srv.acceptWaiting(); err != nil {
				return err
			}
		}
	}
	if err := srv.drain(); err != nil {
		return err
	}
	return srv.failed
}

// acceptWaiting accepts clients until none waits (the listener is
// non-blocking) or every record is in use, and posts each one's first recv.
// The seed's version of this code sat after `continue` and `break`, inside
// the branch for a failed accept: it never ran.
func (srv *server) acceptWaiting() error {
	for len(srv.free) > 0 && !srv.stopping.Load() {
		client, err := srv.listener.accept()
		if err == errWouldBlock {
			return nil
		}
		if err != nil {
			return err
		}
		srv.admit(client)
	}
	return nil
}

// complete is how an engine runs a routine: it takes the routine from the
// record first, since the routine will usually post the next operation.
func (srv *server) complete(slot int, n int, err error) {
	c := &srv.records[slot]
	r := c.routine
	c.routine = nil
	r(srv, c, n, err)
}

// narrating tells whether each step is narrated: not with -quiet, which
// asks for totals only. The hot path asks before it formats anything, so
// that a quiet server allocates nothing per operation.
func (srv *server) narrating() bool { return !srv.quiet }

// sayf narrates one step, unless -quiet asked for totals only.
func (srv *server) sayf(format string, args ...any) {
	if srv.narrating() {
		fmt.Fprintf(srv.out, format+"\n", args...)
	}
}

// newServer makes the table of records, each with its fixed buffer.
func newServer(socks *sockets, out io.Writer, quiet bool, eng engine, maxClients int) *server {
	srv := &server{socks: socks, out: out, quiet: quiet, eng: eng}
	srv.records = make([]record, maxClients)
	srv.free = make([]int, 0, maxClients)
	for slot := maxClients - 1; slot >= 0; slot-- {
		srv.records[slot].buf = eng.buffer(slot)
		srv.free = append(srv.free, slot)
	}
	return srv
}

// listen makes the listening socket; serve says "listening on" once its
// thread is ready to take clients.
func (srv *server) listen(at endpoint, ready func(netip.AddrPort)) error {
	addrs, err := srv.socks.resolve(at.host, at.port, afINET, true)
	if err != nil {
		return err
	}
	l, err := srv.socks.open(addrs[0])
	if err != nil {
		return err
	}
	srv.listener = l
	if err := l.bind(addrs[0]); err != nil {
		return err
	}
	if err := l.listen(); err != nil {
		return err
	}
	// The seed's ioctlsocket(FIONBIO): accept returns at once when nobody
	// waits. A posted accept on io_uring needs none: the kernel waits for
	// the client itself.
	if !srv.acceptPosted || !srv.eng.blockingSockets() {
		if err := l.setNonblocking(); err != nil {
			return err
		}
	}
	addr, err := l.localAddr()
	if err != nil {
		return err
	}
	srv.addr, srv.ready = addr, ready
	return nil
}
