package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"runtime"
	"sync"
)

// endpoint is where a program serves or connects: a host and a port.
type endpoint struct {
	host string
	port uint16
}

// serverConfig is what the server's flags ask for.
type serverConfig struct {
	at         endpoint
	maxThreads int  // serving threads at once; past it, "server busy"
	clients    int  // with -clients: accept this many, then stop accepting
	showTID    bool // print each thread's OS thread id
	quiet      bool // totals instead of a line per line received

	// onThread, if set, learns each serving thread's OS thread id; the
	// demo uses it to find the thread in the process's thread list.
	onThread func(n, tid int)
}

// server is what the accept loop shares with the threads it starts: the
// table of clients being served, and the threads to join.
type server struct {
	socks  *sockets
	out    *lockedWriter // what the server prints, one line at a time
	errs   *lockedWriter
	config serverConfig

	mu      sync.Mutex
	serving map[int]*sock // the clients being served, by thread number
	started int           // how many serving threads have started
	// ended holds the threads whose goroutine has returned, to join.
	ended []threadHandle
	// closeWakers close the sockets stop opened (wait calls them).
	closeWakers []func()
	threads     sync.WaitGroup
	returned    chan struct{} // closed as the server returns (join.go)
}

func newServer(socks *sockets, stdout, stderr io.Writer,
	config serverConfig) *server {
	return &server{socks: socks, config: config, serving: map[int]*sock{},
		out: &lockedWriter{w: stdout}, errs: &lockedWriter{w: stderr},
		returned: make(chan struct{})}
}

// The main goroutine stays on the process's main thread, which runs the
// accept loop, as the seed's main does. Locking it here, before main runs,
// also keeps serving threads off the main thread: Go never ends the main
// thread, so a goroutine that locked it would not take it down on return.
func init() { runtime.LockOSThread() }

// serveThreads is the seed's multi-connection server, run by thread 1, the
// main thread: it accepts, and every client gets a thread of its own that
// makes blocking calls for that client only. ready, if not nil, learns the
// address as soon as a client may connect. It returns once -clients have
// come and gone, or an *interrupted once a signal on stop has woken every
// call and every thread has ended (join.go); either way with every socket
// closed and WSACleanup called.
func serveThreads(socks *sockets, stdout, stderr io.Writer, config serverConfig,
	ready func(netip.AddrPort), stop <-chan os.Signal) error {
	// 1. Initialize Winsock (WSAStartup); nothing to do on POSIX.
	if err := socks.startup(); err != nil {
		return err
	}
	defer socks.cleanup()

	// 2-4. Create a socket, bind it and listen (setup.go). The deferred
	// close closes it on every return below.
	listener, addr, err := listenOn(socks, config.at, nil)
	if err != nil {
		return err
	}
	defer listener.close()
	fmt.Fprintf(stdout, "listening on %v\n", addr)
	if ready != nil {
		ready(addr)
	}

	// 5. The seed's while loop: accept blocks until a client connects,
	// then a new thread takes the client and the loop goes back to accept.
	// Serving threads are numbered from 2.
	srv := newServer(socks, stdout, stderr, config)
	stopped := srv.stopOn(stop)
	for accepted := 0; config.clients == 0 || accepted < config.clients; {
		client, err := listener.accept()
		if errors.Is(err, errInterrupted) {
			break // stop woke the accept
		}
		if err != nil {
			listener.close()
			return srv.abort(err)
		}
		// -clients counts every client accepted, busy ones too.
		accepted++
		// Each send goes out at once (TCP_NODELAY): with Nagle's
		// algorithm on, a reply sent in pieces could wait for the
		// client's delayed ACK, up to 40 ms or more, on every round
		// trip. Chapter 04's lesson shows it, in "Nagle's algorithm and
		// delayed ACK" (../04-process-per-conn/README.md). A client
		// whose socket refuses is not served.
		if err := client.setNoDelay(); err != nil {
			client.close()
			if errors.Is(err, errInterrupted) {
				break
			}
			srv.errs.printf("%v\n", err)
			continue
		}
		srv.joinEnded(0)
		srv.startThread(client)
	}
	return srv.endThreads(listener, stopped)
}

// startThread gives client a thread of its own, or, past -max-threads,
// tells it the server is busy and closes it: each thread costs memory and
// a slot in the system's thread table, so a flood of clients must not
// make them without bound.
func (srv *server) startThread(client *sock) {
	if srv.isStopping() {
		client.close()
		return
	}
	srv.mu.Lock()
	if len(srv.serving) >= srv.config.maxThreads {
		srv.mu.Unlock()
		srv.out.printf("thread limit reached (%d): %s is told %q\n",
			srv.config.maxThreads, client.label, busyLine)
		// Its error is ignored: a client gone already changes nothing.
		client.sendAll([]byte(busyLine + "\n"))
		client.close()
		return
	}
	srv.started++
	n := srv.started + 1 // thread 1 accepts
	srv.serving[n] = client
	srv.threads.Add(1)
	srv.mu.Unlock()
	srv.out.printf("thread %d serves %s\n", n, client.label)

	// The client's socket and number are the goroutine's arguments: the
	// seed's thread read the client's address from main's variable, which
	// the next accept overwrites.
	go func() {
		defer srv.threads.Done()
		// We lock the goroutine to the OS thread it runs on and never
		// unlock it, so no other goroutine runs there and the thread
		// exits when this goroutine returns, as a thread made with
		// CreateThread exits when its function returns.
		runtime.LockOSThread()
		srv.serveClient(n, client)
	}()
}

// serveClient runs on thread n: it runs the line protocol until the client
// is done, then frees its slot and closes the socket. The slot is freed
// before the close, so a client that has seen the close knows that another
// client may take the slot.
func (srv *server) serveClient(n int, client *sock) {
	self := openCurrentThread()
	tid, known := osThreadID()
	if srv.config.onThread != nil {
		srv.config.onThread(n, tid)
	}
	if srv.config.showTID && known {
		srv.out.printf("thread %d is OS thread %d\n", n, tid)
	}
	say := &story{out: srv.out, n: n, quiet: srv.config.quiet}
	reason, err := answerLines(client, say)
	say.totals()
	switch {
	case srv.isStopping():
		srv.out.printf("thread %d ends: the server is stopping\n", n)
	case err != nil:
		srv.errs.printf("thread %d ends: %v\n", n, err)
	default:
		srv.out.printf("thread %d ends: %s\n", n, reason)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	delete(srv.serving, n)
	client.close()
	srv.ended = append(srv.ended, self)
}
