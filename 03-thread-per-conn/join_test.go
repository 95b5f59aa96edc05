package main

import (
	"io"
	"net/netip"
	"os"
	"strconv"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestStopOnEndsWithTheServer: a server that ends without a signal (here
// after -clients 1) leaves no goroutine waiting for one: stopOn's ends as
// the server returns.
func TestStopOnEndsWithTheServer(t *testing.T) {
	ready := make(chan netip.AddrPort, 1)
	done := make(chan error, 1)
	config := serverConfig{at: endpoint{"127.0.0.1", 0}, maxThreads: 2, clients: 1}
	go func() {
		listening := func(addr netip.AddrPort) { ready <- addr }
		done <- serveThreads(&sockets{}, io.Discard, io.Discard, config,
			listening, make(chan os.Signal))
	}()
	var addr netip.AddrPort
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatal(err)
	}
	conn := testkit.Dial(t, strconv.Itoa(int(addr.Port())))
	conn.Write([]byte("quit\n"))
	if _, err := io.ReadAll(conn); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	testkit.GoroutineEnds(t, "(*server).stopOn", 5*time.Second)
}
