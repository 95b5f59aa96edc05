package main

import (
	"io"
	"net/netip"
	"os"
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
	// slot is its index in the table: the user_data the kernel gives back.
	slot    int
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

// server is the one thread that serves every client.
type server struct {
	config   serverConfig
	socks    *sockets
	out      io.Writer
	eng      engine
	listener *sock
	records  []record
	free     []int // slots of records not in use
	accepted int   // clients accepted so far: their numbers
	closed   int   // clients that have come and gone
	echoed   int64
	lastTry  time.Time // when acceptWaiting last tried accept
	// stopping means no new operation: a routine failed, or drain ends all.
	stopping bool

	acceptInFlight bool  // -accept=posted: its routine has not run yet
	failed         error // what stopped the server from inside a routine
}

// serveRoutines is the chapter's server: one thread, overlapped I/O, and
// a loop that waits, alertable, for the routines of what it posted.
// ready, if not nil, learns the address as soon as a client may connect;
// the loop returns after config.clients connections have closed, or an
// *interrupted when stop delivers a signal. Either way it has closed every
// socket (and called WSACleanup) by the time it returns. Windows queues a
// routine to the thread that issued the I/O, so every post and every wait
// must be made from the thread that calls this, which made eng (runServer).
func serveRoutines(socks *sockets, stdout io.Writer, config serverConfig,
	ready func(netip.AddrPort), eng engine, stop <-chan os.Signal) error {
	// Every return below frees the engine's buffers (closeEngine).
	srv := newServer(socks, stdout, config, eng)
	defer srv.closeEngine()

	// 1. Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// 2-4. Create a socket, bind it and listen (setup.go). The deferred
	// close closes it on every return below.
	listener, addr, err := listenOn(socks, config.at,
		beforeBind(eng, config.acceptPosted))
	if err != nil {
		return err
	}
	defer listener.close()
	// With -accept=posted the accept is posted before we say we listen,
	// and the two lines go out together (sayListening says why).
	srv.listener = listener
	srv.sayListening(addr)
	if ready != nil {
		ready(addr)
	}

	for {
		// The alertable wait: the only place completion routines run.
		ran, err := eng.alertableWait(srv, waitTimeout)
		if err != nil {
			return err
		}
		if ran > 0 && config.waited != nil {
			config.waited()
		}
		if config.clients > 0 && srv.closed >= config.clients {
			return srv.stop(nil)
		}
		if srv.failed != nil { // a posted accept's routine failed
			return srv.stop(nil)
		}

		// The signal only reaches this loop between two waits, within
		// one waitTimeout: stop cancels what is in flight, runs those
		// routines (drain), then the deferred closes close each socket.
		if sig := caught(stop); sig != nil {
			return srv.stop(&interrupted{sig})
		}

		// The seed's accept, tried after the wait; with -accept=posted,
		// a routine admits each client instead (accept.go).
		if !config.acceptPosted {
			if err := srv.acceptWaiting(ran); err != nil {
				return err
			}
		}
	}
}

// acceptWaiting accepts clients until none waits (the listener is
// non-blocking) or every record is in use, and posts each one's first recv.
// The seed's version of this code sat after `continue` and `break`, inside
// the branch for a failed accept: it never ran.
//
// The seed calls accept once a round; we take every waiting client, so
// that a crowd is not let in at ten a second. Under traffic a round lasts
// microseconds, and a try that finds nobody is a system call for nothing
// (strace counted one accept4 per io_uring_enter): so we try after a wait
// that ran no routine (ran is 0), or once acceptEvery has passed since
// the last try.
func (srv *server) acceptWaiting(ran int) error {
	if ran > 0 && time.Since(srv.lastTry) < acceptEvery {
		return nil
	}
	srv.lastTry = time.Now()
	for len(srv.free) > 0 {
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
