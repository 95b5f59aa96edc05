// The grading test: go test ./03-thread-per-conn/lab grades starter.go, or
// your work in it; with -tags solution it grades solution.go.
package main

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

const (
	// answerWithin bounds every wait for an answer that should come.
	answerWithin = 5 * time.Second
	// quietFor is how long a client that should get no answer is watched.
	quietFor = time.Second
	// runtimeThreads is how many threads the server may add while 18 more
	// clients connect: the Go runtime's own, never 18.
	runtimeThreads = 5
)

// The lab program, built once for this system and once for Windows.
var binary, windowsBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "03-thread-per-conn-lab")
	if err == nil {
		binary, err = testkit.Build(dir, "lab", runtime.GOOS)
	}
	if err == nil {
		windowsBinary, err = testkit.Build(dir, "lab", "windows")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// forEachBuild runs check against the native build, then against the
// Windows build under Wine where Wine is installed (it skips otherwise);
// wine tells check which one it has.
func forEachBuild(t *testing.T, check func(t *testing.T, program *testkit.Program, wine bool)) {
	t.Run("native", func(t *testing.T) { check(t, testkit.NativeProgram("lab", binary), false) })
	t.Run("wine", func(t *testing.T) { check(t, testkit.WineProgram(t, "lab", windowsBinary), true) })
}

func startServer(t *testing.T, program *testkit.Program, threads int) *testkit.Server {
	t.Helper()
	return program.StartServer(t, "-addr", "127.0.0.1:0", "-threads", strconv.Itoa(threads))
}

// TestThirdClientWaits runs the server with -threads 2: two clients are
// answered at once; a third connects, but gets no answer until one of the
// first two leaves, and then it does.
func TestThirdClientWaits(t *testing.T) { forEachBuild(t, thirdClientWaits) }

func thirdClientWaits(t *testing.T, program *testkit.Program, _ bool) {
	server := startServer(t, program, 2)
	a, b := dial(t, server.Port, "A"), dial(t, server.Port, "B")
	for _, c := range []*client{a, b} {
		if err := c.exchange("hello from "+c.name, "Message received - hello from "+c.name); err != nil {
			t.Fatalf("with -threads 2, two clients should be served at once, but %v: do two threads wait in accept, "+
				"and none holds a lock while it serves?", err)
		}
	}

	c := dial(t, server.Port, "C")
	if err := c.send("hello from C"); err != nil {
		t.Fatal(err)
	}
	if answer, err := c.answerWithin(quietFor); err == nil {
		t.Fatalf("with -threads 2 and clients A and B being served, client C was answered %q: a third thread serves. "+
			"Start exactly -threads threads, in serve (check the loop's bounds), and make no thread for a client, "+
			"even when every thread is busy", answer)
	}

	if err := a.quit(); err != nil {
		t.Fatal(err)
	}
	if err := c.expect("Message received - hello from C", answerWithin); err != nil {
		t.Fatalf("once client A left, %v: does each thread go back to accept after its client leaves?", err)
	}
	for _, c := range []*client{b, c} {
		if err := c.quit(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestThreadsDoNotGrow runs the server with -threads 2 and reads its OS
// thread count (the Threads: line of /proc/PID/status) with 2 clients
// connected, then for a second while 18 more connect and send a line:
// it must not grow with the clients.
func TestThreadsDoNotGrow(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the thread count is read from /proc/PID/status, which only Linux has")
	}
	server := startServer(t, testkit.NativeProgram("lab", binary), 2)
	pid := server.Pid()
	for i := 1; i <= 2; i++ {
		c := dial(t, server.Port, strconv.Itoa(i))
		if err := c.exchange("hello", "Message received - hello"); err != nil {
			t.Fatalf("with -threads 2, two clients should be served at once, but %v: do two threads wait in accept, "+
				"and none holds a lock while it serves?", err)
		}
	}
	with2 := osThreads(t, pid)

	for i := 3; i <= 20; i++ {
		if err := dial(t, server.Port, strconv.Itoa(i)).send("hello"); err != nil {
			t.Fatal(err)
		}
	}
	most := with2
	for end := time.Now().Add(quietFor); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		most = max(most, osThreads(t, pid))
		if most > with2+runtimeThreads {
			t.Fatalf("with 2 clients connected the server had %d OS threads; with 20 it has %d: it makes threads as clients come. "+
				"With -threads 2 it should have the same threads whatever the number of clients (we allow up to %d more for the Go runtime)",
				with2, most, runtimeThreads)
		}
	}
	t.Logf("OS threads: %d with 2 clients, at most %d with 20", with2, most)
}

// TestEveryClientIsAnswered runs the server with -threads 3 and 9 clients
// at once: each sends two lines in one write, then quit, and must get both
// answers, then "quit", then the close; and by what the server printed,
// no more than 3 were served at once, by threads 2, 3 and 4.
func TestEveryClientIsAnswered(t *testing.T) { forEachBuild(t, everyClientIsAnswered) }

func everyClientIsAnswered(t *testing.T, program *testkit.Program, _ bool) {
	server := startServer(t, program, 3)
	failures := make(chan error, 9)
	var wg sync.WaitGroup
	for i := 1; i <= 9; i++ {
		c := dial(t, server.Port, strconv.Itoa(i))
		wg.Go(func() {
			err := c.send("one from " + c.name + "\ntwo from " + c.name)
			for _, line := range []string{"one", "two"} {
				if err == nil {
					err = c.expect("Message received - "+line+" from "+c.name, answerWithin)
				}
			}
			if err == nil {
				err = c.quit()
			}
			failures <- err
		})
	}
	wg.Wait()
	close(failures)
	var failed []error
	for err := range failures {
		if err != nil {
			failed = append(failed, err)
		}
	}
	if len(failed) > 0 {
		t.Fatalf("%d of 9 clients were not served right; the first: %v. With -threads 3, clients 4 to 9 "+
			"are served only when a thread is back in accept: does each thread loop?", len(failed), failed[0])
	}
	out, _ := server.InterruptAndWait(t)
	if err := servedAtOnce(out, 3); err != nil {
		t.Fatal(err)
	}
}

// osThreads reads the Threads: line of /proc/PID/status (proc(5)).
func osThreads(t *testing.T, pid int) int {
	t.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^Threads:\s+(\d+)$`).FindSubmatch(status)
	if m == nil {
		t.Fatalf("/proc/%d/status has no Threads: line", pid)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
