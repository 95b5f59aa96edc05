package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"
	"sync"
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
		maxClients: 1024, serve: 3}
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
		if !t.waitFor("Please input a string to send:") {
			return clients, fmt.Errorf("demo: client %d did not ask for a line", step.client)
		}
		t.Write([]byte(step.line + "\n"))
		stdins[step.client-1].Write([]byte(step.line + "\n"))
		if !t.waitFor("recv From Server: ") {
			return clients, fmt.Errorf("demo: client %d got no reply", step.client)
		}
	}
	return clients, nil
}

// terminal collects what one side of the demo prints, as its own terminal
// window would show it, so the demo can print each side whole and in order.
type terminal struct {
	command string
	mu      sync.Mutex
	output  bytes.Buffer
	seen    int // how much of output waitFor has looked at
	wrote   chan struct{}
	status  int
}

func newTerminal(command string) *terminal {
	return &terminal{command: command, wrote: make(chan struct{}, 1)}
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	select {
	case t.wrote <- struct{}{}:
	default:
	}
	return t.output.Write(p)
}

// waitFor waits until the terminal shows text after what it showed last
// time, at most a few seconds.
func (t *terminal) waitFor(text string) bool {
	timeout := time.After(10 * time.Second)
	for {
		t.mu.Lock()
		at := strings.Index(t.output.String()[t.seen:], text)
		if at >= 0 {
			t.seen += at + len(text)
		}
		t.mu.Unlock()
		if at >= 0 {
			return true
		}
		select {
		case <-t.wrote:
		case <-timeout:
			return false
		}
	}
}

// finish records how the side ended: its error line, if any, and its status.
func (t *terminal) finish(err error) {
	t.status = exitStatus(err, t)
}

// demoSockets makes a side's socket table; its trace goes to the side's
// terminal, in order with the rest of what that side prints.
func demoSockets(w io.Writer, trace bool) *sockets {
	socks := &sockets{}
	if trace {
		socks.trace = w
	}
	return socks
}

// show prints one terminal, with the port the system chose written PORT.
func show(stdout io.Writer, title string, t *terminal, port string) {
	text := "% " + t.command + "\n" + t.output.String()
	text = strings.ReplaceAll(text, ":"+port, ":PORT")
	text = strings.ReplaceAll(text, `"`+port+`"`, `"PORT"`)
	fmt.Fprintf(stdout, "\n-- %s --\n%s(exit status %d)\n", title, text, t.status)
}
