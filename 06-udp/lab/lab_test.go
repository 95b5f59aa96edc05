package main

import (
	"context"
	"errors"
	"fmt"
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
	clientTail     = 25               // lines of its output a failed test shows
)

// TestLossyPath runs the client through the relay: every message must be
// echoed, once each and in order, and the client must exit 0. It must
// skip the decoys (decoys_test.go), and send again only after -timeout.
func TestLossyPath(t *testing.T) { eachClient(t, lossyPath) }

func lossyPath(t *testing.T, client *testkit.Program) {
	server := testkit.NativeProgram("06-udp-lab", nativeBinary).StartServer(t, "server", "-addr", "127.0.0.1:0")
	r := startRelay(t, "127.0.0.1:"+server.Port)
	out := runClientProgram(t, context.Background(), client, "-addr", r.front.LocalAddr().String(),
		"-n", fmt.Sprint(messages), "-timeout", lossyTimeout.String(), "-retries", fmt.Sprint(lossyRetries))
	r.stop()

	// What the relay saw says most about the mistake: we say it first.
	ok := true
	if problem := r.check(messages); problem != "" {
		t.Error(problem)
		ok = false
	}
	if out.status != 0 {
		t.Errorf("the client exited %d, want 0. Through a path that loses at most two datagrams in a row "+
			"for one message, with -retries %d, every message should get through (TODO 2).%s",
			out.status, lossyRetries, crash(out.stderr))
		ok = false
	}
	if problem := checkEchoes(out.stdout, messages); problem != "" {
		t.Error(problem)
		ok = false
	}
	t.Logf("the relay: %s", r.summary())
	if !ok {
		t.Logf("what the relay saw, in order:\n%s", r.story())
	}
}

// output is what one run of the client printed, and its exit status.
type output struct {
	stdout, stderr string
	status         int
	stopped        bool // the test killed it, when stop was done
}

// runClientProgram runs the client with args, and kills it when stop is
// done or after clientDeadline; if the test fails, it shows what the
// client printed. Its output goes to files, not pipes: under Wine, a
// helper that outlives the program may hold a pipe open.
func runClientProgram(t *testing.T, stop context.Context, client *testkit.Program, args ...string) output {
	t.Helper()
	ctx, cancel := context.WithTimeout(stop, clientDeadline)
	defer cancel()
	argv := append(append([]string{}, client.Argv...), "client")
	cmd := exec.CommandContext(ctx, argv[0], append(argv[1:], args...)...)
	cmd.Env = append(os.Environ(), client.Env...)
	stdout, stderr := createFile(t, "stdout"), createFile(t, "stderr")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	out := output{stdout: readFile(t, stdout), stderr: readFile(t, stderr), status: cmd.ProcessState.ExitCode()}
	out.stderr = string(testkit.WithoutWineNoise([]byte(out.stderr))) // Wine's own lines, not the client's
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the last lines the client printed (stdout, then stderr):\n%s\n%s",
				testkit.LastLines(out.stdout, clientTail), testkit.LastLines(out.stderr, clientTail))
		}
	})
	var exit *exec.ExitError
	if stop.Err() != nil {
		out.stopped = true
	} else if ctx.Err() != nil {
		t.Fatalf("the client did not finish within %v; it printed:\n%s%s\nDoes every receive have a timeout, "+
			"and does the client give up after -retries?", clientDeadline, out.stdout, out.stderr)
	} else if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return out
}

// crash returns the line a Go panic starts with in stderr, as a sentence
// to add to a message, or "".
func crash(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(line, "panic: ") {
			return fmt.Sprintf(" It crashed: %s", strings.TrimSpace(line))
		}
	}
	return ""
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
