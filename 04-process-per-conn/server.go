package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"sync"
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
	at endpoint
	// children at once; past it a client is told "server busy"
	maxProcs  int
	clients   int  // stop after this many clients; 0: run until stopped
	reuseAddr bool // SO_REUSEADDR on POSIX, SO_EXCLUSIVEADDRUSE on Winsock
	nagle     bool // -nagle: leave Nagle's algorithm on (no TCP_NODELAY)
	// -buffer: how much each child's read may take (bufferSize)
	buffer int
	trace  bool // the children trace too
	quiet  bool
}

// server is the parent process. It only accepts: every client it accepts
// is served by a child process of its own (children.go).
type server struct {
	socks *sockets
	out   *lockedWriter // the parent's lines; reapers print here too
	// what the children print on, their trace included
	childOut io.Writer
	config   serverConfig

	mu sync.Mutex
	// children started so far: the next is child started+1
	started  int
	running  map[int]*child // children not yet reaped, by number
	refusing int            // busy clients being turned away
	stopping bool
	// closeWakers closes the sockets stop opened to wake the accept; the
	// accept loop calls it once it has returned.
	closeWakers func()
	// a count for each child not yet reaped and each busy client
	pending sync.WaitGroup
	reaped  chan struct{} // closed once pending is done
}

func newServer(socks *sockets, stdout io.Writer, config serverConfig) *server {
	if config.buffer == 0 {
		config.buffer = bufferSize
	}
	out := &lockedWriter{w: stdout, mu: &sync.Mutex{}}
	srv := &server{socks: socks, out: out, config: config,
		running: map[int]*child{}, reaped: make(chan struct{})}
	srv.childOut = srv.childOutput(stdout)
	return srv
}

// serveChildren is the seed's main: it accepts in a loop, and every client
// gets a child process of its own (children.go), which makes blocking calls
// for that client only. ready, if not nil, learns the address as soon as a
// client may connect. It returns once -clients have been served, or an
// *interrupted once a signal on stop has woken the accept and stopped the
// children (stopping.go); either way with every child reaped, every socket
// closed and WSACleanup called.
func serveChildren(socks *sockets, stdout io.Writer, config serverConfig,
	ready func(netip.AddrPort), stop <-chan os.Signal) error {
	// 1. Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// 2-4. Create a socket, bind it and listen (setup.go). The deferred
	// close closes it on every return below.
	listener, addr, err := listenOn(socks, config.at, beforeBind(config))
	if err != nil {
		return err
	}
	defer listener.close()
	fmt.Fprintf(stdout, "listening on %v\n", addr)
	if ready != nil {
		ready(addr)
	}

	// 5. The seed's while loop: accept blocks until a client connects,
	// then a child process takes the client and the loop goes back to
	// accept at once: the child does the rest. That is the whole model.
	srv := newServer(socks, stdout, config)
	stopped := srv.stopOn(stop)
	var last *child
	for served := 0; config.clients == 0 || served < config.clients; {
		// The child started last may print: our lines about it are out.
		last.release()
		client, err := listener.accept()
		if errors.Is(err, errInterrupted) {
			break // stop woke the accept
		}
		if err != nil {
			listener.close()
			last.release()
			return srv.abort(err)
		}
		// Each send goes out at once (TCP_NODELAY), unless -nagle asks
		// to see what that saves: see "Nagle's algorithm and delayed
		// ACK" in the lesson. An option belongs to the socket, not to a
		// descriptor: the child's descriptor (its handle on Windows)
		// names this same socket, so the child need not set it again.
		if err := srv.setNoDelay(client); err != nil {
			client.close()
			if errors.Is(err, errInterrupted) {
				break
			}
			fmt.Fprintln(srv.out, err)
			continue
		}
		if srv.busy(client) {
			continue
		}
		served++
		last = srv.startChild(client)
	}
	return srv.endChildren(listener, last, stopped)
}

// beforeBind is what the listener sets before bind: SO_REUSEADDR
// (SO_EXCLUSIVEADDRUSE on Windows), unless -reuseaddr=false. It must come
// before bind: bind is the call it changes.
func beforeBind(config serverConfig) func(*sock) error {
	if !config.reuseAddr {
		return nil
	}
	return (*sock).setReuseAddr
}

// setNoDelay sets TCP_NODELAY on client, unless -nagle.
func (srv *server) setNoDelay(client *sock) error {
	if srv.config.nagle {
		return nil
	}
	return client.setNoDelay()
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
