package testkit

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmdtest"
)

// Update is go test's -update flag: transcripts are rewritten with what
// the programs print instead of compared with it.
var Update = flag.Bool("update", false, "rewrite the transcripts in testdata with what the programs print")

// Chapter is a chapter's program, built for this system and for Windows
// by Main. A chapter's tests declare one:
//
//	var chapter = &testkit.Chapter{Name: "01-blocking"}
//
//	func TestMain(m *testing.M) { chapter.Main(m) }
type Chapter struct {
	Name          string // the module's folder, and the program's name in transcripts
	NativeBinary  string // built for this system
	WindowsBinary string // built for windows/amd64
}

// Main is the chapter's TestMain: it builds the two binaries, runs the
// tests, removes the binaries and exits with the tests' status.
func (c *Chapter) Main(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", c.Name+"-test")
	if err == nil {
		c.NativeBinary, err = Build(dir, c.Name, runtime.GOOS)
	}
	if err == nil {
		c.WindowsBinary, err = Build(dir, c.Name, "windows")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Native returns the native build as a Program.
func (c *Chapter) Native() *Program { return NativeProgram(c.Name, c.NativeBinary) }

// Wine returns the Windows build run under Wine (see WineProgram).
func (c *Chapter) Wine(t *testing.T) *Program {
	t.Helper()
	return WineProgram(t, c.Name, c.WindowsBinary)
}

// CheckIPv4Only gives the server (run with args, which name the IPv6
// address [::1]) an IPv6 address. Every chapter's server is IPv4 only, as
// the seeds' are (getaddrinfo's hints say AF_INET), and must say so in
// one line, with the address once and the resolver's own error name:
// EAI_ADDRFAMILY from glibc. Wine passes glibc's code (-9) on as it is;
// Windows itself is not checked here, so its line may carry any name.
func (c *Chapter) CheckIPv4Only(t *testing.T, args ...string) {
	run := func(t *testing.T, program *Program, name string) {
		out, status := program.Run(t, args...)
		first, _, _ := strings.Cut(out, "\n")
		want := regexp.MustCompile(`^\w+ ::1: this server is IPv4 only \(AF_INET, as the seed\): [^:(]+ \((` + name + `)\)$`)
		if status != 2 || !want.MatchString(first) {
			t.Errorf("exit status %d and first line %q; want 2 and a line matching %q", status, first, want)
		}
	}
	t.Run("native", func(t *testing.T) {
		name := "EAI_ADDRFAMILY"
		if runtime.GOOS == "windows" {
			name = `[A-Z_]+`
		}
		run(t, c.Native(), name)
	})
	t.Run("wine", func(t *testing.T) { run(t, c.Wine(t), "EAI_ADDRFAMILY") })
}

// ioTimeout bounds every read and write of a test's own connections.
const ioTimeout = 30 * time.Second

// Dial connects to the server on port of 127.0.0.1, with ioTimeout as
// its deadline; the test's end closes it.
func Dial(t *testing.T, port string) *net.TCPConn {
	t.Helper()
	conn, err := net.Dial("tcp", "127.0.0.1:"+port)
	if err != nil {
		t.Fatal(err)
	}
	conn.SetDeadline(time.Now().Add(ioTimeout))
	t.Cleanup(func() { conn.Close() })
	return conn.(*net.TCPConn)
}

// Echo sends msg on a new connection, in writes of an odd size, while it
// reads the reply; then it half-closes and reads until the server closes.
// It returns what came back.
func Echo(t *testing.T, port string, msg []byte) []byte {
	t.Helper()
	conn := Dial(t, port)
	go func() {
		for rest := msg; len(rest) > 0; {
			n := min(len(rest), 7001)
			if _, err := conn.Write(rest[:n]); err != nil {
				return
			}
			rest = rest[n:]
		}
		conn.CloseWrite()
	}()
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Errorf("reading the echo: %v", err)
	}
	return got
}

// ExpectExit waits for the server to exit and fails the test unless its
// exit status is want, its output holds line, and its trace closes every
// socket it opened (Unclosed). Under Wine it also accepts Wine's endings
// (see ExitAccepted) when line is in the output's final line. It returns
// what the server printed.
func (s *Server) ExpectExit(t *testing.T, want int, line string) string {
	t.Helper()
	out, status := s.Wait(t)
	if !s.ExitAccepted(t, status, want, out, line) || !strings.Contains(out, line) {
		t.Fatalf("server exited %d, want %d with a line containing %q; it printed:\n%s", status, want, line, out)
	}
	if leaked := Unclosed(out); len(leaked) > 0 {
		t.Errorf("sockets opened and never closed: %v; the trace:\n%s", leaked, out)
	}
	return out
}

// RunTranscripts runs the transcripts testdata/*.ct, then those of each
// of subdirs (testdata/SUBDIR/*.ct), against program. Each suite also has
// the commands that commands returns, made afresh for it (nil: none).
func RunTranscripts(t *testing.T, program *Program, commands func() map[string]cmdtest.CommandFunc, subdirs ...string) {
	t.Helper()
	for _, dir := range append([]string{""}, subdirs...) {
		suite, err := cmdtest.Read(filepath.Join("testdata", dir))
		if err != nil {
			t.Fatal(err)
		}
		program.Register(t, suite)
		if commands != nil {
			maps.Copy(suite.Commands, commands())
		}
		suite.Run(t, *Update)
	}
}

// Case is one subtest a chapter runs against each of its builds.
type Case struct {
	Name string
	Test func(t *testing.T, program *Program)
}

// RunCases runs each case as a subtest, named by its Name, against program.
func RunCases(t *testing.T, program *Program, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) { c.Test(t, program) })
	}
}
