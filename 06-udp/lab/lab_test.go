package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// The lab program, built with your starter.go (or, with -tags solution,
// with the reference solution): for this system, and for Windows.
var nativeBinary, windowsBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "06-udp-lab")
	if err == nil {
		nativeBinary, err = testkit.Build(dir, "06-udp-lab", runtime.GOOS)
	}
	if err == nil {
		windowsBinary, err = testkit.Build(dir, "06-udp-lab", "windows")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// eachClient runs test with the native client, then with the Windows
// build's client under Wine (skipped where Wine is missing).
func eachClient(t *testing.T, test func(t *testing.T, client *testkit.Program)) {
	t.Run("native", func(t *testing.T) { test(t, testkit.NativeProgram("06-udp-lab", nativeBinary)) })
	t.Run("wine", func(t *testing.T) { test(t, testkit.WineProgram(t, "06-udp-lab", windowsBinary)) })
}

// The client's flags. In TestLossyPath a message meets at most two losses
// in a row: -retries 8 leaves room for six more timeouts that a loaded
// machine may cause, and 200ms is a hundred times the round trip here.
const (
	messages       = 20
	lossyTimeout   = 200 * time.Millisecond
	lossyRetries   = 8
	silentTimeout  = 100 * time.Millisecond
	silentRetries  = 2
	clientDeadline = 20 * time.Second // the client is killed after this
)

// TestLossyPath runs the client through the relay: every message must be
// echoed, once each and in order, and the client must exit 0.
func TestLossyPath(t *testing.T) { eachClient(t, lossyPath) }

func lossyPath(t *testing.T, client *testkit.Program) {
	server := testkit.NativeProgram("06-udp-lab", nativeBinary).StartServer(t, "server", "-addr", "127.0.0.1:0")
	r := startRelay(t, "127.0.0.1:"+server.Port)
	out := runClientProgram(t, client, "-addr", r.front.LocalAddr().String(), "-n", fmt.Sprint(messages),
		"-timeout", lossyTimeout.String(), "-retries", fmt.Sprint(lossyRetries))
	r.stop()
	t.Logf("the relay: %s", r.summary())

	ok := true
	if out.status != 0 {
		t.Errorf("the client exited %d, want 0. Through a path that loses at most two datagrams in a row "+
			"for one message, with -retries %d, every message should get through (TODO 2).", out.status, lossyRetries)
		ok = false
	}
	if problem := checkEchoes(out.stdout, messages); problem != "" {
		t.Error(problem)
		ok = false
	}
	if problem := r.check(messages); problem != "" {
		t.Error(problem)
		ok = false
	}
	if !ok {
		t.Logf("the client printed:\n%s%s\nwhat the relay saw, in order:\n%s", out.stdout, out.stderr, r.story())
	}
}

// TestClientGivesUp sends to a socket that never answers: the client must
// send message 1 once, then -retries more times, each a -timeout apart,
// then say so in one line and exit 1.
func TestClientGivesUp(t *testing.T) { eachClient(t, clientGivesUp) }

func clientGivesUp(t *testing.T, client *testkit.Program) {
	silent, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	var arrivals []time.Time
	var tries []int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, maxDatagram)
		for {
			n, _, err := silent.ReadFromUDP(buf)
			if err != nil {
				return
			}
			arrivals = append(arrivals, time.Now())
			tries = append(tries, sequence(buf[:n]))
		}
	}()
	addr := silent.LocalAddr().String()
	out := runClientProgram(t, client, "-addr", addr, "-n", "2",
		"-timeout", silentTimeout.String(), "-retries", fmt.Sprint(silentRetries))
	// The client has exited, so all it sent is in the socket's buffer.
	silent.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	<-done

	wantTries := 1 + silentRetries
	example := fmt.Sprintf("no echo of message 1 from %s after %d tries", addr, wantTries)
	if out.status != 1 {
		t.Errorf("the client exited %d though nothing answered, want 1: after its last try it should give up "+
			"with an error (TODO 2)", out.status)
	}
	if line := strings.TrimSuffix(out.stderr, "\n"); line == "" || strings.Contains(line, "\n") ||
		!strings.Contains(line, "message 1 ") || !strings.Contains(line, addr) {
		t.Errorf("the client wrote to stderr %q; want one line that names message 1 and the server, such as %q",
			out.stderr, example)
	}
	if strings.Contains(out.stdout, "echoed") {
		t.Errorf("the client printed %q though nothing answered", out.stdout)
	}
	if len(tries) != wantTries {
		t.Errorf("the client sent %d datagrams, want %d: message 1, then %d more tries (-retries %d), then give up",
			len(tries), wantTries, silentRetries, silentRetries)
	}
	for i := 1; i < len(arrivals); i++ {
		if gap := arrivals[i].Sub(arrivals[i-1]); gap < silentTimeout/2 {
			t.Errorf("the client sent datagram %d %v after datagram %d: it should wait -timeout %v for the echo "+
				"before it sends again", i+1, gap.Round(time.Millisecond), i, silentTimeout)
		}
	}
	for i, seq := range tries {
		if seq != 1 {
			t.Errorf("datagram %d of the client does not start with the number 1 (4 bytes, big-endian): "+
				"it should send message 1 again, and stop there", i+1)
			break
		}
	}
}

// output is what one run of the client printed, and its exit status.
type output struct {
	stdout, stderr string
	status         int
}

// runClientProgram runs the client with args, and kills it after
// clientDeadline. Its output goes to files, not pipes: under Wine, a
// helper that outlives the program may hold a pipe open.
func runClientProgram(t *testing.T, client *testkit.Program, args ...string) output {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), clientDeadline)
	defer cancel()
	argv := append(append([]string{}, client.Argv...), "client")
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], args...)...)
	cmd.Env = append(os.Environ(), client.Env...)
	stdout, stderr := createFile(t, "stdout"), createFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	out := output{readFile(t, stdout), readFile(t, stderr), cmd.ProcessState.ExitCode()}
	out.stderr = string(testkit.WithoutWineNoise([]byte(out.stderr))) // Wine's own lines, not the client's
	var exit *exec.ExitError
	if ctx.Err() != nil {
		t.Fatalf("the client did not finish within %v; it printed:\n%s%s\nDoes every receive have a timeout, "+
			"and does the client give up after -retries?", clientDeadline, out.stdout, out.stderr)
	} else if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return out
}

func createFile(t *testing.T, name string) *os.File {
	f, err := os.Create(filepath.Join(t.TempDir(), name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readFile(t *testing.T, f *os.File) string {
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
