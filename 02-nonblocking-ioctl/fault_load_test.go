package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"

	"iomodels/testkit"
)

// The fault tests of many clients, or of much data, at once (see
// fault_test.go).

// slowReader has a client that sends and never reads: its replies pile
// up, and past maxPending the server closes it. Meanwhile a second client
// is served as if nothing happened.
func slowReader(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "21", "-poll", "1ms", "-addr", "127.0.0.1:0")
	flooder := testkit.Dial(t, server.Port)
	flooded := make(chan struct{})
	go func() {
		defer close(flooded)
		chunk := bytes.Repeat([]byte("x\n"), 32<<10)
		for range 256 { // 16 MiB at most; the server gives up long before
			if _, err := flooder.Write(chunk); err != nil {
				return
			}
		}
	}()
	for i := range 20 {
		line := fmt.Appendf(nil, "line %d", i)
		if got := exchange(t, server.Port, [][]byte{line, []byte("quit")}); !strings.HasPrefix(got, "Message received - line") {
			t.Fatalf("the other client got %q", got)
		}
	}
	<-flooded
	flooder.Close()
	out := expectExitWith(t, server, lastTraceLine(program), "client 1: closed (not reading: ")
	if !regexp.MustCompile(`client 1: closed \(not reading: \d+ bytes of replies unsent\)`).MatchString(out) {
		t.Errorf("client 1 was not closed for not reading; the server printed:\n%s", testkit.LastLines(out, 40))
	}
}

// twoHundredAtOnce has 200 clients at once, each with two lines; all are
// served.
func twoHundredAtOnce(t *testing.T, program *testkit.Program) {
	server := program.StartServer(t, "server", "-trace", "-clients", "200", "-poll", "1ms", "-addr", "127.0.0.1:0")
	var wg sync.WaitGroup
	var mu sync.Mutex
	served := 0
	for i := range 200 {
		wg.Go(func() {
			line := fmt.Appendf(nil, "client %d", i)
			got, err := tryExchange(server.Port, [][]byte{line, []byte("quit")})
			if err == nil && got == "Message received - "+string(line)+"\nquit\n" {
				mu.Lock()
				served++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if served != 200 {
		t.Errorf("%d clients of 200 were served", served)
	}
	expectExitWith(t, server, lastTraceLine(program), "client 200: closed")
}
