package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// A target is one server the benchmark measures.
type target struct {
	name      string   // as the report names it
	chapter   string   // the chapter's directory; "" for the yardsticks
	source    string   // a C yardstick's file in reference/
	libs      []string // what the C compiler links it with
	args      []string // the server's arguments; -addr 127.0.0.1:0 is added
	proto     protocol
	yardstick bool     // written to compare the chapters with, not a chapter
	maxConns  int      // shapes with more connections are skipped; 0: no limit
	shapes    []string // if set, the only shapes it runs
	note      string
	// dominatedBy says what, besides the model, decides this server's
	// figures: the report lists such rows apart.
	dominatedBy string
}

// built is a target whose binary is ready, or the reason it is skipped.
type built struct {
	target
	binary  string
	skipped string
}

// buildAll builds every chapter's server and the C yardsticks into dir. A
// chapter that does not exist yet or does not build, or a C server without
// its compiler or library, is skipped with the reason.
func buildAll(root, dir string, targets []target) []built {
	self, err := os.Executable()
	var out []built
	for _, t := range targets {
		b := built{target: t}
		switch {
		case t.source != "":
			b.binary, b.skipped = buildC(root, dir, t)
		case t.chapter == "" && err != nil:
			b.skipped = err.Error()
		case t.chapter == "":
			b.binary = self
		default:
			if _, statErr := os.Stat(filepath.Join(root, t.chapter, "main.go")); statErr != nil {
				b.skipped = "not in the repository yet"
				break
			}
			b.binary = filepath.Join(dir, t.chapter)
			cmd := exec.Command("go", "build", "-o", b.binary, "./"+t.chapter)
			cmd.Dir = root
			if msg, buildErr := cmd.CombinedOutput(); buildErr != nil {
				b.skipped = "does not build: " + firstLine(string(msg))
			}
		}
		out = append(out, b)
	}
	return out
}

// buildC compiles a C yardstick with the system's C compiler (cc).
func buildC(root, dir string, t target) (binary, skipped string) {
	if runtime.GOOS != "linux" {
		return "", "Linux only (epoll, io_uring)"
	}
	binary = filepath.Join(dir, strings.TrimSuffix(t.source, ".c"))
	args := append([]string{"-O2", "-Wall", "-o", binary, filepath.Join(root, "bench", "reference", t.source)}, t.libs...)
	if msg, err := exec.Command("cc", args...).CombinedOutput(); err != nil {
		return "", "does not build (it needs a C compiler, and liburing-dev for io_uring): " + firstLine(string(msg)+err.Error())
	}
	return binary, ""
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// server is a running server process.
type server struct {
	cmd  *exec.Cmd
	addr string
	done chan error
}

var listening = regexp.MustCompile(`listening on (\S+)`)

// startServer starts b on a loopback port the system picks and waits for
// its "listening on" line. With pin, it runs on CPU 0 (taskset).
func startServer(ctx context.Context, b built, pin bool) (*server, error) {
	argv := append([]string{b.binary}, b.args...)
	argv = append(argv, "-addr", "127.0.0.1:0")
	if pin {
		argv = append([]string{"taskset", "-c", "0"}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, done: make(chan error, 1)}
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			s.addr = m[1]
			break
		}
	}
	// The rest of what it prints is read and dropped, so that a full pipe
	// never blocks it.
	go func() {
		io.Copy(io.Discard, stdout)
		s.done <- cmd.Wait()
	}()
	if s.addr == "" {
		<-s.done
		return nil, fmt.Errorf("%s printed no %q line", b.name, "listening on")
	}
	return s, nil
}

// stop sends the server Ctrl-C and waits for it; one that does not stop
// within five seconds is killed.
func (s *server) stop() error {
	s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() > 0 {
			return fmt.Errorf("exit status %d", exit.ExitCode())
		}
		return nil
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
		return errors.New("did not stop on SIGINT within 5 s: killed")
	}
}

// pid is the server's process, or with taskset the process taskset became.
func (s *server) pid() int { return s.cmd.Process.Pid }
