package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"sync"
)

// demoClient is one client of the demo: its terminal, and the stdin the
// demo types into.
type demoClient struct {
	term  *terminal
	stdin *io.PipeWriter
	done  chan struct{} // closed when the client has exited
}

// startClient runs the chapter's client in a goroutine of its own, reading
// the lines the demo types.
func startClient(port uint16) *demoClient {
	r, w := io.Pipe()
	c := &demoClient{
		term:  newTerminal(fmt.Sprintf("03-thread-per-conn client -addr 127.0.0.1:%d", port)),
		stdin: w,
		done:  make(chan struct{}),
	}
	go func() {
		defer close(c.done)
		c.term.finish(chat(&sockets{}, c.term, r, endpoint{"127.0.0.1", port}, defaultTimeout))
		r.Close()
	}()
	return c
}

// typeLine types a line as a user would: the terminal echoes it, the
// client reads it, and we wait for the answer.
func (c *demoClient) typeLine(line string) error {
	fmt.Fprintln(c.term, line)
	if _, err := io.WriteString(c.stdin, line+"\n"); err != nil {
		return fmt.Errorf("demo: the client stopped reading: %v", err)
	}
	return c.term.waitFor("recv From Server: ")
}

// runDemo runs the chapter's server and four clients in this process. The
// demo types into the clients one step at a time and waits for each step's
// line, so the transcript reads the same on every run.
func runDemo(stdout io.Writer, showTID bool) error {
	fmt.Fprint(stdout, `Chapter 03: a thread per client.
The server and four clients run in this one process, as they would in five
terminals. The server listens on 127.0.0.1 at a port the system picks (shown
as PORT) and serves at most 3 clients at once, each on a thread of its own.
Client 1 connects first and says nothing for a while: in chapter 01 that
kept everyone else out. Clients 2 and 3 are answered meanwhile. Client 4
comes when all 3 threads are taken. Then clients 1 to 3 say quit, and the
server is stopped as Ctrl-C would stop it.
`)
	serverTerm := newTerminal("03-thread-per-conn server -addr 127.0.0.1:0 -max-threads 3")
	tids := threadIDs{byThread: map[int]int{}}
	config := serverConfig{at: endpoint{"127.0.0.1", 0}, maxThreads: 3,
		showTID: showTID, onThread: tids.record}
	// Thread 1, the main thread, runs the server, as in the server command;
	// once it listens, the demo's own steps run beside it and end by
	// stopping it.
	main, _ := osThreadID()
	var addr netip.AddrPort
	var run demoRun
	stop := make(chan os.Signal, 1)
	steps := make(chan error, 1)
	err := serveThreads(&sockets{}, serverTerm, serverTerm, config,
		func(at netip.AddrPort) {
			addr = at
			go func() { steps <- run.steps(serverTerm, at.Port(), stop) }()
		}, stop)
	if !addr.IsValid() {
		return err
	}
	var stopped *interrupted
	if errors.As(err, &stopped) {
		fmt.Fprintln(serverTerm, stopped)
		err = nil
	}
	serverTerm.finish(err)
	if err := <-steps; err != nil {
		return err
	}

	port := strconv.Itoa(int(addr.Port()))
	show(stdout, "the server's terminal", serverTerm, port)
	for i, c := range run.clients {
		show(stdout, fmt.Sprintf("client %d's terminal", i+1), c.term, port)
	}
	return showThreads(stdout, &tids, main, run.before, run.during, showTID)
}

// demoRun is what the demo's steps saw: the clients, and the process's
// threads before the clients came and while they were served.
type demoRun struct {
	clients        []*demoClient
	before, during []int
}

// steps runs the scenario against the server at port, then does what
// Ctrl-C does to a server.
func (r *demoRun) steps(serverTerm *terminal, port uint16,
	stop chan<- os.Signal) error {
	r.before, _ = processThreads(0)
	var err error
	r.clients, err = demoSteps(serverTerm, port)
	if err == nil {
		r.during, _ = processThreads(0)
		err = quitAll(r.clients)
	}
	fmt.Fprintln(serverTerm, "^C")
	stop <- os.Interrupt
	return err
}

// demoSteps is the scenario: client 1 connects and says nothing for a
// while, which in chapter 01 would have kept everyone else out; clients 2
// and 3 are served all the same; client 4 finds all 3 threads taken.
func demoSteps(serverTerm *terminal, port uint16) ([]*demoClient, error) {
	var clients []*demoClient
	for i := range 3 {
		c := startClient(port)
		clients = append(clients, c)
		if err := serverTerm.waitFor(fmt.Sprintf("thread %d serves", i+2)); err != nil {
			return clients, err
		}
		if i > 0 {
			if err := c.typeLine(fmt.Sprintf("hello from client %d", i+1)); err != nil {
				return clients, err
			}
		}
	}
	if err := clients[0].typeLine("hello from client 1, at last"); err != nil {
		return clients, err
	}

	// Client 4 has nothing to say: its stdin ends at once, so it shuts
	// down sending and prints what the server says until it closes. Told
	// "server busy", it exits 1, as chapter 02's client does.
	busy := startClient(port)
	busy.stdin.Close()
	clients = append(clients, busy)
	<-busy.done
	if busy.term.status != 1 {
		return clients, errors.New("demo: client 4 was not told the server is busy; see its terminal")
	}
	return clients, nil
}

// quitAll has clients 1 to 3 say quit, in order, and waits for them.
func quitAll(clients []*demoClient) error {
	for _, c := range clients[:3] {
		if err := c.typeLine("quit"); err != nil {
			return err
		}
		c.stdin.Close()
		<-c.done
		if c.term.status != 0 {
			return errors.New("demo: a client failed; see its terminal")
		}
	}
	return nil
}

// threadIDs remembers the OS thread id of each serving thread.
type threadIDs struct {
	mu       sync.Mutex
	byThread map[int]int
}

func (t *threadIDs) record(n, tid int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byThread[n] = tid
}

// list returns the ids of the threads recorded, by thread number.
func (t *threadIDs) list() []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	var ids []int
	for n := 2; n < 2+len(t.byThread); n++ {
		ids = append(ids, t.byThread[n])
	}
	return ids
}
