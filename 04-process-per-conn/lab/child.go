package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
)

// bufferSize is the seed's buf[512]: how much one recv may take.
const bufferSize = 512

// runChild is the child process, "lab child K": it takes the socket its
// parent handed it and gives it to serveChild, until the parent stops it.
func runChild(n int, stdin io.Reader, stdout, stderr io.Writer) error {
	if err := startup(); err != nil {
		return fmt.Errorf("WSAStartup: %s", describe(err))
	}
	defer cleanup()
	s, err := inherit(stdin)
	if err != nil {
		return err
	}
	defer s.close()

	// Ctrl-C typed in a terminal reaches every process in it, children
	// too. We leave it to the parent, which stops us by closing our stdin:
	// at end-of-file we exit, and the system closes our sockets.
	// (signal.Ignore would not do: on Windows an ignored Ctrl-C ends the
	// process.)
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
	go func() {
		io.Copy(io.Discard, stdin)
		os.Exit(0)
	}()
	return serveChild(n, s, stdout, stderr)
}

// echo sends back every byte the client sends until it shuts down sending,
// then shuts down our sending half, so that the client reads end-of-stream.
// The caller closes the socket.
func echo(n int, client *sock, stdout io.Writer) error {
	fmt.Fprintf(stdout, "child %d: serving %v\n", n, client.addr.Addr())
	buf := make([]byte, bufferSize)
	total := 0
	for {
		got, err := client.recv(buf)
		if err != nil {
			return err
		}
		if got == 0 {
			break
		}
		if err := client.sendAll(buf[:got]); err != nil {
			return err
		}
		total += got
	}
	fmt.Fprintf(stdout, "child %d: %v left, %d bytes echoed\n", n, client.addr.Addr(), total)
	return client.shutdownSend()
}
