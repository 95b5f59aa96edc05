package main

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"time"
)

// demoScript is what the demo's three clients type, in this order. Each
// waits for its reply before the next line is typed anywhere, so the
// server's log comes out the same on every run.
var demoScript = []struct {
	client int
	line   string
}{
	{1, "hello from the first client"},
	{2, "hello from the second"},
	{3, "and from the third"},
	{1, "all three are served by one thread"},
	{2, "quit"},
	{3, "nobody waits for anybody"},
	{1, "quit"},
	{3, "quit"},
}

// runDemo runs the chapter's server and three clients in this process,
// feeds the clients the script, and prints each terminal once all are done.
func runDemo(stdout io.Writer, trace bool) error {
	fmt.Fprint(stdout, `Chapter 02: non-blocking sockets, one thread, many clients.
The server and three clients run in this one process, as they would in four
terminals. The server listens on 127.0.0.1 at a port the system picks (shown
as PORT) and stops after three connections; each client sends the lines
typed after its prompt and prints the replies.
`)
	server := newTerminal("02-nonblocking-ioctl server -addr 127.0.0.1:0 -clients 3")
	config := serverConfig{at: endpoint{"127.0.0.1", 0}, poll: 100 * time.Millisecond,
		maxClients: 1024, clients: 3}
	ready := make(chan netip.AddrPort, 1)
	done := make(chan error, 1)
	go func() {
		socks := demoSockets(server, trace)
		listening := func(addr netip.AddrPort) { ready <- addr }
		done <- servePolling(socks, server, config, listening, nil)
	}()

	// The clients may connect only once the server listens.
	var addr netip.AddrPort
	select {
	case addr = <-ready:
	case err := <-done:
		return err
	}
	to := endpoint{"127.0.0.1", addr.Port()}
	clients, err := playScript(to, trace)
	server.finish(<-done)
	port := strconv.Itoa(int(addr.Port()))
	show(stdout, "the server's terminal", server, port)
	for i, c := range clients {
		show(stdout, fmt.Sprintf("client %d's terminal", i+1), c, port)
	}
	if err != nil {
		return err
	}
	for _, t := range append(clients, server) {
		if t.status != 0 {
			return errors.New("demo: a side failed; see the terminals above")
		}
	}
	fmt.Fprint(stdout, `
One thread served the three clients in turn: it tried accept, then recv on
each socket, and slept 100 ms whenever a whole pass found nothing. That sleep
is the price: "go run ./02-nonblocking-ioctl measure" shows it.
`)
	return nil
}

// playScript starts each client at its first line, types each line after
// its prompt, and waits for the reply before the next line.
func playScript(to endpoint, trace bool) ([]*terminal, error) {
	var clients []*terminal
	var stdins []*io.PipeWriter
	var dones []chan struct{}
	defer func() {
		for i, w := range stdins {
			w.Close() // end of stdin: a client still reading stops
			<-dones[i]
		}
	}()
	for _, step := range demoScript {
		for len(clients) < step.client {
			t := newTerminal(fmt.Sprintf("02-nonblocking-ioctl client -addr 127.0.0.1:%d", to.port))
			r, w := io.Pipe()
			finished := make(chan struct{})
			go func() {
				defer close(finished)
				socks := demoSockets(t, trace)
				opt := clientOptions{poll: 100 * time.Millisecond, timeout: 5 * time.Second, prompt: true}
				t.finish(talk(socks, r, t, to, opt))
			}()
			clients, stdins, dones = append(clients, t), append(stdins, w), append(dones, finished)
		}
		t := clients[step.client-1]
		// We wait for the prompt, type the line as a terminal echoes it,
		// and wait for the reply.
		if err := t.waitFor("Please input a string to send:"); err != nil {
			return clients, err
		}
		t.Write([]byte(step.line + "\n"))
		stdins[step.client-1].Write([]byte(step.line + "\n"))
		if err := t.waitFor("recv From Server: "); err != nil {
			return clients, err
		}
	}
	return clients, nil
}
