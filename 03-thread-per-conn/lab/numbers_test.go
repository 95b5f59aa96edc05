package main

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"iomodels/testkit"
)

// The server names its threads in what it prints ("thread 3 serves
// 127.0.0.1"): the tests here read those lines, once the server has
// stopped, to see which thread served which client.

// TestThreadNumbers runs the server with -threads 3 and serves two rounds
// of 3 clients at once: each round must be served by threads 2, 3 and 4,
// one client each.
func TestThreadNumbers(t *testing.T) { forEachBuild(t, threadNumbers) }

func threadNumbers(t *testing.T, program *testkit.Program, _ bool) {
	server := startServer(t, program, 3)
	var rounds [][]*client
	for round := 1; round <= 2; round++ {
		clients := dialRound(t, server, round, 3)
		quitAll(t, clients)
		rounds = append(rounds, clients)
	}
	out, _ := server.InterruptAndWait(t)
	numbers := receivedBy(out)
	want := []int{2, 3, 4}
	for round, clients := range rounds {
		var got []int
		for _, c := range clients {
			got = append(got, numbers[c.name])
		}
		if slices.Sort(got); !slices.Equal(got, want) {
			t.Fatalf("with -threads 3, the 3 clients of round %d, served at once, were served by threads %v "+
				"(the server's %q lines; 0 is none), want threads 2, 3 and 4, one client each: "+
				"number the threads 2 to threads+1, each its own number, and keep each thread for every client it serves",
				round+1, got, "thread N received")
		}
	}
}

// sameThreadPerNumber stops the server and checks, from what it printed,
// that each thread number ran on one OS thread, given the OS thread that
// served each client.
func sameThreadPerNumber(t *testing.T, server *testkit.Server, servedOn map[string]int) {
	t.Helper()
	out, _ := server.InterruptAndWait(t)
	numbers := receivedBy(out)
	tidOf, clientOf := map[int]int{}, map[int]string{} // by thread number
	for _, name := range slices.Sorted(maps.Keys(servedOn)) {
		n, tid := numbers[name], servedOn[name]
		switch {
		case n == 0:
			t.Fatalf("the server printed no %q line for client %s", "thread N received \"hello from "+name+"\"", name)
		case tidOf[n] == 0:
			tidOf[n], clientOf[n] = tid, name
		case tidOf[n] != tid && sameRound(name, clientOf[n]):
			t.Fatalf("clients %s and %s, served at once, were both served as thread %d: give each thread its own number",
				clientOf[n], name, n)
		case tidOf[n] != tid:
			t.Fatalf("thread %d served client %s on OS thread %d, and client %s on OS thread %d: a pool thread should "+
				"be one OS thread for all its clients. Does each thread's goroutine call runtime.LockOSThread, and never unlock?",
				n, clientOf[n], tidOf[n], name, tid)
		}
	}
}

// receivedBy returns, by client name, the number of the thread that
// printed `thread N received "hello from NAME"`.
func receivedBy(out string) map[string]int {
	numbers := map[string]int{}
	for _, m := range receivedLine.FindAllStringSubmatch(out, -1) {
		numbers[m[2]], _ = strconv.Atoi(m[1])
	}
	return numbers
}

var receivedLine = regexp.MustCompile(`(?m)^thread (\d+) received "hello from (\S+)"$`)

// sameRound tells whether two clients of dialRound came in one round.
func sameRound(a, b string) bool {
	roundA, _, _ := strings.Cut(a, ".")
	roundB, _, _ := strings.Cut(b, ".")
	return roundA == roundB
}

// servedAtOnce checks, from what the server printed, that no more than
// threads clients were served at once, each by a thread numbered from 2
// to threads+1 that served no other client meanwhile.
func servedAtOnce(out string, threads int) error {
	serving := map[int]bool{}
	for _, line := range strings.Split(out, "\n") {
		var n int
		var rest string
		if _, err := fmt.Sscanf(line, "thread %d %s", &n, &rest); err != nil {
			continue
		}
		switch {
		case n < 2:
			return fmt.Errorf("the server printed %q: thread 1 is the main thread; with -threads %d, "+
				"number the pool's threads 2 to %d", line, threads, threads+1)
		case n > threads+1:
			return fmt.Errorf("the server printed %q: with -threads %d, the threads are 2 to %d: it started more "+
				"threads than -threads (for a client, or when all were busy), or numbered them wrong", line, threads, threads+1)
		case rest == "serves" && serving[n]:
			return fmt.Errorf("the server printed %q while thread %d was still serving a client: "+
				"give each thread its own number", line, n)
		case rest == "serves":
			serving[n] = true
			if len(serving) > threads {
				return fmt.Errorf("with -threads %d, %d clients were served at once (%q lines): "+
					"start -threads threads in serve, and make no other", threads, len(serving), "thread N serves")
			}
		case rest == "is" || rest == "stops:": // "is done with", "stops: the server is stopping"
			delete(serving, n)
		}
	}
	return nil
}
