package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// runDemo runs the chapter's server in this process, its children as
// processes of their own, and clients against it, and prints each terminal
// once its part is done. The order of the steps comes from what the server
// prints, so the transcript is the same on every run.
func runDemo(stdout io.Writer, trace bool) error {
	fmt.Fprint(stdout, `Chapter 04: a process per client.
The server runs in this process and listens on 127.0.0.1 at a port the
system picks (shown as PORT). For each client it accepts it starts a child,
a new process running this same program, and hands it the connection; the
child echoes and exits, and the server is back in accept at once. It runs
at most 2 children here (-max-procs 2). Client A sends "first" and stays
connected, so child 1 keeps serving it while the others come and go.
`)
	server := newTerminal("04-process-per-conn server -addr 127.0.0.1:0 -max-procs 2")
	config := serverConfig{at: endpoint{"127.0.0.1", 0}, maxProcs: 2,
		reuseAddr: true, trace: trace}
	stop, done, addr, err := startServer(server, config, trace)
	if err != nil {
		return err
	}
	to, port := endpoint{"127.0.0.1", addr.Port()}, strconv.Itoa(int(addr.Port()))

	// Each step waits for the server's line that shows the last one done.
	a := holdClient(to, "first", trace)
	err = server.waitFor("child 1: Bytes sent: 5\n")
	b := runClient(to, trace)
	if err == nil {
		err = server.waitFor("child 2 exited")
	}
	show(stdout, "client B, while A is still connected", b, port)
	fmt.Fprint(stdout, `
In chapter 01 a second client found nobody listening. Here child 2 served B
while child 1 still served A. Now C connects and stays, like A: two children
run, so the fourth client, D, is told "server busy" and closed.
`)
	c := holdClient(to, "third", trace)
	if err == nil {
		err = server.waitFor("child 3: Bytes sent: 5\n")
	}
	d := runClient(to, trace)
	show(stdout, "client D, while A and C are connected", d, port)
	c.leave()
	if err == nil {
		err = server.waitFor("child 3 exited")
	}
	show(stdout, "client C", c.t, port)

	// Ctrl-C: the server stops accepting, stops child 1, waits for it.
	fmt.Fprint(stdout, `
C has left. A is still connected when the server gets Ctrl-C: it stops
accepting, tells child 1 to stop, waits for it and exits.
`)
	stopServer(server, stop, done)
	a.leave()
	show(stdout, "the server's terminal", server, port)
	show(stdout, "client A", a.t, port)
	if err != nil {
		return err
	}
	if b.status != 0 || d.status != 1 || a.t.status != 0 || c.t.status != 0 {
		return errors.New("demo: a client did not end as it should; see the terminals above")
	}
	return restartOnSamePort(stdout, to.port, trace)
}

// demoTimeout is the demo clients' -timeout: the client's default.
const demoTimeout = 5 * time.Second

// runClient runs the seed's client against to and returns its terminal.
func runClient(to endpoint, trace bool) *terminal {
	t := newTerminal(fmt.Sprintf("04-process-per-conn client -addr 127.0.0.1:%d", to.port))
	socks := demoSockets(t, trace)
	t.finish(sendAndReceive(socks, t, to, []byte("this is a test"), false, demoTimeout))
	return t
}

// heldClient is a client the demo plays with the client's calls: it sends
// its message, reads the echo, and stays connected until leave.
type heldClient struct {
	t     *terminal
	socks *sockets
	s     *sock
	err   error
}

func holdClient(to endpoint, message string, trace bool) *heldClient {
	h := &heldClient{t: newTerminal(""), socks: demoSockets(nil, false)}
	h.socks = demoSockets(h.t, trace)
	if h.err = h.socks.startup(); h.err != nil {
		return h
	}
	if h.s, h.err = connectToAny(h.socks, to, demoTimeout); h.err != nil {
		return h
	}
	if h.err = h.s.sendAll([]byte(message)); h.err != nil {
		return h
	}
	fmt.Fprintf(h.t, "Bytes Sent: %d\n", len(message))
	buf := make([]byte, len(message))
	for got := 0; got < len(message) && h.err == nil; {
		var n int
		n, h.err = h.s.recv(buf[got:])
		if n == 0 && h.err == nil {
			h.err = errors.New("the server closed before the echo")
		}
		got += n
	}
	if h.err == nil {
		fmt.Fprintf(h.t, "Bytes received: %d\n", len(message))
	}
	return h
}

// leave shuts down sending and reads until the server closes, as the
// seed's client ends.
func (h *heldClient) leave() {
	if h.s != nil {
		if h.err == nil {
			h.err = h.s.shutdownSend()
		}
		if h.err == nil {
			_, h.err = receiveUntilClosed(h.s, h.t, 0, false)
		}
		h.s.close()
		h.socks.cleanup()
	}
	h.t.finish(h.err)
}
