package main

import (
	"errors"
	"net/netip"
	"runtime"
	"sync"
)

// endpoint is where a program serves or connects: a host and a port.
type endpoint struct {
	host string
	port uint16
}

// server is the seed's multi-connection server: one thread accepts, and
// every client it accepts gets a thread of its own, which makes blocking
// recv and send calls for that client only.
type server struct {
	socks      *sockets
	out        *lockedWriter // what the server prints, one line at a time
	errs       *lockedWriter
	maxThreads int
	maxClients int // with -clients: accept this many, then stop accepting
	showTID    bool
	quiet      bool // totals instead of a line per line received
	listener   *sock

	// onThread, if set, learns each serving thread's OS thread id; the
	// demo uses it to find the thread in the process's thread list.
	onThread func(n, tid int)

	mu          sync.Mutex
	serving     map[int]*sock  // the clients being served, by thread number
	ended       []threadHandle // threads whose goroutine has returned, to join
	started     int            // how many serving threads have started
	closeWakers []func()       // close the sockets stop opened (wait calls them)
	threads     sync.WaitGroup
}

// listen makes the listening socket, the seed's socket, bind and listen,
// and prints "listening on" as soon as a client may connect.
func (s *server) listen(at endpoint) (netip.AddrPort, error) {
	if err := s.socks.startup(); err != nil {
		return netip.AddrPort{}, err
	}
	addrs, err := s.socks.resolve(at.host, at.port, afINET, true)
	if err != nil {
		return netip.AddrPort{}, err
	}
	if s.listener, err = s.socks.open(addrs[0]); err != nil {
		return netip.AddrPort{}, err
	}
	if err := s.listener.bind(addrs[0]); err != nil {
		return netip.AddrPort{}, err
	}
	if err := s.listener.listen(); err != nil {
		return netip.AddrPort{}, err
	}
	addr, err := s.listener.localAddr()
	if err != nil {
		return netip.AddrPort{}, err
	}
	s.out.printf("listening on %v\n", addr)
	return addr, nil
}

// The main goroutine stays on the process's main thread, which runs the
// accept loop, as the seed's main does. Locking it here, before main runs,
// also keeps serving threads off the main thread: Go never ends the main
// thread, so a goroutine that locked it would not take it down on return.
func init() { runtime.LockOSThread() }

// acceptLoop is the seed's while loop: accept blocks until a client
// connects, then a new thread takes the client and the loop goes back to
// accept. Thread 1 is the one that runs this loop; serving threads are
// numbered from 2. It returns nil once stop has woken it, or, with
// -clients, once that many clients have come and gone. Thread 1 owns the
// listener and closes it as it returns; with -clients, only once every
// thread has ended, so that its trace line never falls between the lines
// of a serving thread.
func (s *server) acceptLoop() error {
	defer s.listener.close()
	for accepted := 0; s.maxClients == 0 || accepted < s.maxClients; accepted++ {
		client, err := s.listener.accept()
		if errors.Is(err, errInterrupted) {
			return nil
		}
		if err != nil {
			return err
		}
		// Each send goes out at once (TCP_NODELAY): with Nagle's algorithm
		// on, a reply sent in pieces could wait for the client's delayed
		// ACK, up to 40 ms or more, on every round trip. Chapter 04's
		// lesson shows it: ../04-process-per-conn/README.md#nagles-algorithm-and-delayed-ack.
		// A client whose socket refuses is not served.
		if err := client.setNoDelay(); err != nil {
			client.close()
			if errors.Is(err, errInterrupted) {
				return nil
			}
			s.errs.printf("%v\n", err)
			continue
		}
		s.joinEnded(0)
		s.startThread(client)
	}
	s.threads.Wait()
	s.joinEnded(stopGrace)
	s.listener.close()
	return nil
}

// startThread gives client a thread of its own, or, past -max-threads,
// tells it the server is busy and closes it: each thread costs memory and
// a slot in the system's thread table, so a flood of clients must not
// make them without bound.
func (s *server) startThread(client *sock) {
	if s.isStopping() {
		client.close()
		return
	}
	s.mu.Lock()
	if len(s.serving) >= s.maxThreads {
		s.mu.Unlock()
		s.out.printf("thread limit reached (%d): %s is told \"server busy\"\n", s.maxThreads, client.label)
		client.sendAll([]byte("server busy\n")) // a client gone already changes nothing
		client.close()
		return
	}
	s.started++
	n := s.started + 1 // thread 1 accepts
	s.serving[n] = client
	s.threads.Add(1)
	s.mu.Unlock()
	s.out.printf("thread %d serves %s\n", n, client.label)

	// The client's socket and number are the goroutine's arguments: the
	// seed's thread read the client's address from main's variable, which
	// the next accept overwrites.
	go func() {
		defer s.threads.Done()
		// We lock the goroutine to the OS thread it runs on and never
		// unlock it, so no other goroutine runs there and the thread
		// exits when this goroutine returns, as a thread made with
		// CreateThread exits when its function returns.
		runtime.LockOSThread()
		s.serveClient(n, client)
	}()
}

// serveClient runs on thread n: it runs the line protocol until the client
// is done, then frees its slot and closes the socket. The slot is freed
// before the close, so a client that has seen the close knows that another
// client may take the slot.
func (s *server) serveClient(n int, client *sock) {
	self := openCurrentThread()
	tid, known := osThreadID()
	if s.onThread != nil {
		s.onThread(n, tid)
	}
	if s.showTID && known {
		s.out.printf("thread %d is OS thread %d\n", n, tid)
	}
	say := &story{out: s.out, n: n, quiet: s.quiet}
	reason, err := answerLines(client, say)
	say.totals()
	switch {
	case s.isStopping():
		s.out.printf("thread %d ends: the server is stopping\n", n)
	case err != nil:
		s.errs.printf("thread %d ends: %v\n", n, err)
	default:
		s.out.printf("thread %d ends: %s\n", n, reason)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.serving, n)
	client.close()
	s.ended = append(s.ended, self)
}
