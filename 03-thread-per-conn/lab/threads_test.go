package main

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The tests here look at the server's OS threads from outside, in Linux's
// /proc (proc_linux_test.go): which of them wait in accept, and which one
// waits in recv on each client's socket. They skip elsewhere.

// poolSize is how many threads these tests start. Go moves a goroutine
// that is not locked to its OS thread to another one when it wakes and
// finds every P busy (GOMAXPROCS, set to 2 for these tests): the more
// threads wake at once, and the more often, the likelier. Here, with 3
// threads and one line per client, such goroutines passed the
// test in 12 runs of 30; with 8 threads and 20 lines per client, 27 runs
// of 300 got past the first round of clients; with 8 threads and 60
// lines, 5 runs of 900 did, and none got past the second.
const poolSize = 8

// linesPerClient is how many lines each client of a round sends, all the
// clients at once, while the test watches which OS thread serves it.
const linesPerClient = 60

// TestThreadsWaitInAccept runs the server with -threads 8 and no client:
// 8 of its OS threads, no more and no fewer, must wait in accept on the
// listening socket, as soon as it listens.
func TestThreadsWaitInAccept(t *testing.T) {
	skipUnlessProcShowsCalls(t)
	waitForPool(t, startPool(t), "before any client came")
}

// TestThreadsAreReused runs the server with -threads 8 and serves three
// rounds of 8 clients at once, each sending 60 lines. Each client must be
// served, from its first line to its last, by one of the 8 OS threads
// that waited in accept before any client came; each `thread N` must be
// one OS thread for every client it serves; and once a round has left,
// the same 8 threads must wait in accept again.
func TestThreadsAreReused(t *testing.T) {
	skipUnlessProcShowsCalls(t)
	server := startPool(t)
	pool := waitForPool(t, server, "before any client came")
	servedOn := map[string]int{} // a client's name -> the OS thread that served it
	for round := 1; round <= 3; round++ {
		clients := dialRound(t, server, round, poolSize)
		for name, tid := range waitForReaders(t, server, clients) {
			if !slices.Contains(pool, tid) {
				t.Fatalf("client %s is served by OS thread %d, none of the %d threads %v that waited in accept before any "+
					"client came. Either a thread is made for the client (start every thread in serve, and have each call "+
					"s.accept() itself), or Go moved a thread's goroutine to another OS thread (runtime.LockOSThread "+
					"keeps it on its own)", name, tid, poolSize, pool)
			}
			servedOn[name] = tid
		}
		for range linesPerClient {
			sendEach(t, clients, "another line")
		}
		for name, tid := range waitForReaders(t, server, clients) {
			if tid != servedOn[name] {
				t.Fatalf("client %s was served by OS thread %d, and %d lines later by OS thread %d: Go moved the goroutine "+
					"serving it to another OS thread. Lock each thread's goroutine to its OS thread (runtime.LockOSThread) "+
					"and never unlock it", name, servedOn[name], linesPerClient, tid)
			}
		}
		quitAll(t, clients)
		if again := waitForPool(t, server, fmt.Sprintf("after round %d of clients left", round)); !slices.Equal(again, pool) {
			t.Fatalf("before any client came, OS threads %v waited in accept; after round %d of clients left, %v do: "+
				"a pool thread should be one OS thread for the server's life, back in accept after each client. "+
				"Does each thread loop, rather than end after its client, and is its goroutine locked to its OS thread "+
				"(runtime.LockOSThread, never unlocked)?", pool, round, again)
		}
	}
	sameThreadPerNumber(t, server, servedOn)
}

// startPool starts the server with -threads poolSize and GOMAXPROCS 2.
func startPool(t *testing.T) *testkit.Server {
	t.Helper()
	program := testkit.NativeProgram("lab", binary)
	program.Env = append(program.Env, "GOMAXPROCS=2")
	return startServer(t, program, poolSize)
}

// waitForPool waits until poolSize of the server's OS threads wait in
// accept, and returns their ids; when says when, for the failure message.
func waitForPool(t *testing.T, server *testkit.Server, when string) []int {
	t.Helper()
	port, _ := strconv.Atoi(server.Port)
	var calls threadCalls
	var err error
	for end := time.Now().Add(answerWithin); ; time.Sleep(10 * time.Millisecond) {
		if calls, err = lookAtThreads(server.Pid(), port); errors.Is(err, fs.ErrPermission) {
			t.Skipf("the calls of the server's threads cannot be read here: %v", err)
		} else if err != nil {
			t.Fatal(err)
		}
		waiting := len(calls.accepting)
		switch {
		case slices.Contains(calls.accepting, server.Pid()): // Linux gives the main thread the process's id
			t.Fatalf("with -threads %d, %s, the main thread (thread 1) waits in accept: serve should start the %d "+
				"threads, numbered from 2, and return; thread 1 waits for Ctrl-C", poolSize, when, poolSize)
		case waiting > poolSize:
			t.Fatalf("with -threads %d, %s, %d OS threads wait in accept: start -threads threads, no more",
				poolSize, when, waiting)
		case waiting == poolSize:
			return calls.accepting
		case time.Now().After(end):
			t.Fatalf("with -threads %d, %s, %d OS thread(s) waited in accept on the listening socket after %v, want %d: "+
				"start every thread in serve, before any client comes; have each of them call s.accept() itself, "+
				"with no lock around it, and go back to it after each client",
				poolSize, when, waiting, answerWithin, poolSize)
		}
	}
}

// waitForReaders waits until each client's socket has a server thread
// waiting in recv on it, and returns those threads by client name.
func waitForReaders(t *testing.T, server *testkit.Server, clients []*client) map[string]int {
	t.Helper()
	port, _ := strconv.Atoi(server.Port)
	for end := time.Now().Add(answerWithin); ; time.Sleep(10 * time.Millisecond) {
		calls, err := lookAtThreads(server.Pid(), port)
		if err != nil {
			t.Fatal(err)
		}
		readers := map[string]int{}
		for _, c := range clients {
			if tid, ok := calls.reading[c.port()]; ok {
				readers[c.name] = tid
			}
		}
		if len(readers) == len(clients) {
			return readers
		}
		if time.Now().After(end) {
			t.Fatalf("%d clients were answered, but after %v only %d of them had a server thread waiting in recv "+
				"on its socket: does each thread go on serving its client (s.serveClient) until the client leaves?",
				len(clients), answerWithin, len(readers))
		}
	}
}

// dialRound connects n clients, named ROUND.1 to ROUND.n, and has each
// send a line and get its answer, so that all n are being served.
func dialRound(t *testing.T, server *testkit.Server, round, n int) []*client {
	t.Helper()
	var clients []*client
	for i := 1; i <= n; i++ {
		clients = append(clients, dial(t, server.Port, fmt.Sprintf("%d.%d", round, i)))
	}
	for _, c := range clients {
		if err := c.exchange("hello from "+c.name, "Message received - hello from "+c.name); err != nil {
			t.Fatalf("with -threads %d, %d clients should be served at once, but %v", n, n, err)
		}
	}
	return clients
}

// sendEach has each client send line, one after another with no wait,
// so that their threads wake together, then read each answer.
func sendEach(t *testing.T, clients []*client, line string) {
	t.Helper()
	for _, c := range clients {
		if err := c.send(line); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range clients {
		if err := c.expect("Message received - "+line, answerWithin); err != nil {
			t.Fatal(err)
		}
	}
}

// quitAll has the clients quit at once, as a round of clients leaving.
func quitAll(t *testing.T, clients []*client) {
	t.Helper()
	errs := make([]error, len(clients))
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() { errs[i] = c.quit() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
