package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"sync"
	"time"
)

// bufferSize is how much one read may take. The seed's buf[512] costs a
// system call for every 512 bytes each way: a 16 KiB message took 32 reads
// and 32 writes, and with TCP_NODELAY each write left as a segment of its
// own, which woke the client. 64 KiB takes in one read anything that has
// arrived of the largest message this course's clients send, and sends it
// back in one write; it costs each child 64 KiB, next to the megabytes a
// process costs. The lesson measures both sizes: see "The buffer: 512
// bytes or 64 KiB" in README.md; -buffer 512 brings the seed's back.
const bufferSize = 64 << 10

// maxBuffer bounds -buffer.
const maxBuffer = 1 << 20

// endpoint is where a program serves or connects: a host and a port.
type endpoint struct {
	host string
	port uint16
}

// serverConfig is what the server's flags ask for.
type serverConfig struct {
	at        endpoint
	maxProcs  int  // children at once; past it a client is told "server busy"
	clients   int  // stop after this many clients; 0: run until stopped
	reuseAddr bool // SO_REUSEADDR on POSIX, SO_EXCLUSIVEADDRUSE on Winsock
	nagle     bool // -nagle: leave Nagle's algorithm on (no TCP_NODELAY)
	buffer    int  // -buffer: how much each child's read may take (bufferSize)
	trace     bool // the children trace too
	quiet     bool
}

// server is the parent process. It only accepts: every client it accepts
// is served by a child process of its own (children.go).
type server struct {
	socks    *sockets
	out      *lockedWriter // the parent's lines; reapers print here too
	childOut io.Writer     // what the children print on, their trace included
	cfg      serverConfig

	mu       sync.Mutex
	listener *sock
	started  int            // children started so far: the next is child started+1
	running  map[int]*child // children not yet reaped, by number
	refusing int            // busy clients being turned away
	stopping bool
	// closeWakers closes the sockets stop opened to wake the accept; serve
	// calls it once its accept loop has returned.
	closeWakers func()
	pending     sync.WaitGroup // a count for each child not yet reaped and each busy client
}

func newServer(socks *sockets, stdout, stderr io.Writer, cfg serverConfig) *server {
	if cfg.buffer == 0 {
		cfg.buffer = bufferSize
	}
	out := &lockedWriter{w: stdout, mu: &sync.Mutex{}}
	srv := &server{socks: socks, out: out, cfg: cfg, running: map[int]*child{}}
	srv.childOut = srv.childOutput(stdout)
	return srv
}

// serve is the seed's main: socket, SO_REUSEADDR, bind, listen, then accept
// in a loop, a child for each client. It returns once it has been stopped,
// or has served cfg.clients clients, and every child has been reaped.
// ready, if not nil, learns the address as soon as a client may connect.
func (srv *server) serve(ready func(netip.AddrPort)) error {
	if err := srv.socks.startup(); err != nil {
		return err
	}
	defer srv.socks.cleanup()
	listener, err := srv.listen()
	if err != nil {
		return err
	}
	defer listener.close()
	addr, err := listener.localAddr()
	if err != nil {
		return err
	}
	fmt.Fprintf(srv.out, "listening on %v\n", addr)
	if ready != nil {
		ready(addr)
	}

	// accept blocks until a client connects; the child does the rest, so
	// the parent is back in accept at once. That is the whole model.
	var last *child
	for served := 0; srv.cfg.clients == 0 || served < srv.cfg.clients; {
		// The child started last may print now: our lines about it are out.
		last.release()
		client, err := listener.accept()
		if errors.Is(err, errInterrupted) {
			break // stop woke the accept
		}
		if err != nil {
			last.release()
			srv.stop()
			srv.pending.Wait()
			srv.closeWakersOnce()
			return err
		}
		// Each send goes out at once (TCP_NODELAY), unless -nagle asks to
		// see what that saves: see "Nagle's algorithm and delayed ACK" in
		// the lesson. An option belongs to the socket, not to a descriptor:
		// the child's descriptor (its handle on Windows) names this same
		// socket, so the child need not set it again.
		if !srv.cfg.nagle {
			if err := client.setNoDelay(); err != nil {
				client.close()
				if errors.Is(err, errInterrupted) {
					break
				}
				fmt.Fprintln(srv.out, err)
				continue
			}
		}
		if srv.busy(client) {
			continue
		}
		served++
		last = srv.startChild(client)
	}

	// We stop accepting, then wait for every child to exit: a server that
	// returned now would leave its children to init, unreaped by us. The
	// accept loop owns the listener: it closes it here, once no call can
	// still use it.
	listener.close()
	last.release()
	srv.pending.Wait()
	srv.closeWakersOnce()
	return nil
}

// closeWakersOnce closes the sockets stop opened, if it has been called.
func (srv *server) closeWakersOnce() {
	srv.mu.Lock()
	closeWakers := srv.closeWakers
	srv.closeWakers = nil
	srv.mu.Unlock()
	if closeWakers != nil {
		closeWakers()
	}
}

// listen makes the listening socket. SO_REUSEADDR (SO_EXCLUSIVEADDRUSE on
// Windows) must be set before bind: bind is the call it changes.
func (srv *server) listen() (*sock, error) {
	addrs, err := srv.socks.resolve(srv.cfg.at.host, srv.cfg.at.port, afINET, true)
	if err != nil {
		return nil, err
	}
	listener, err := srv.socks.open(addrs[0])
	if err != nil {
		return nil, err
	}
	if srv.cfg.reuseAddr {
		err = listener.setReuseAddr()
	}
	if err == nil {
		err = listener.bind(addrs[0])
	}
	if err == nil {
		err = listener.listen()
	}
	if err != nil {
		listener.close()
		return nil, err
	}
	srv.mu.Lock()
	srv.listener = listener
	srv.mu.Unlock()
	return listener, nil
}

// stop makes serve return: it wakes the accept and every turned-away
// client's call, and closes no socket (sockets.stop); each call then
// reports errInterrupted, and its flow closes its socket. It asks every
// child to stop, and each child wakes its own call the same way (child.go).
// serve then waits for the children, as it does when it ends by itself.
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

// stopAndWait stops the server and waits for serve to return; children
// that outlive stopGrace are killed. Should the accept not return either
// (a system that stop does not wake), we stop waiting after another
// stopGrace: the process's exit closes what is left.
func (srv *server) stopAndWait(done <-chan error) {
	srv.stop()
	select {
	case <-done:
		return
	case <-time.After(stopGrace):
	}
	srv.mu.Lock()
	for _, number := range sortedKeys(srv.running) {
		fmt.Fprintf(srv.out, "child %d did not stop within %v: killing it\n", number, stopGrace)
		srv.running[number].cmd.Process.Kill()
	}
	srv.mu.Unlock()
	select {
	case <-done:
	case <-time.After(stopGrace):
		fmt.Fprintf(srv.out, "the server did not stop within %v of being woken\n", 2*stopGrace)
	}
}

// childOutput is where the children's lines go: the server's stdout, both
// their output and their trace, through one pipe per child so that their
// lines keep their order (a gate in children.go holds them back until the
// server has said its part), and a whole line at a time with the server's.
func (srv *server) childOutput(w io.Writer) io.Writer {
	return &lockedWriter{w: w, mu: srv.out.mu}
}

// lockedWriter lets the accept loop, the reapers and the children's output
// write to one place a whole line at a time.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
