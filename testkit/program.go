// Package testkit runs a chapter's program inside go-cmdtest transcripts: as
// a native build or as the Windows build under Wine, in the foreground or in
// the background ("&"), so that a server and its clients meet in one
// transcript that reads like a terminal session.
package testkit

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmdtest"
)

// commandTimeout bounds every program a transcript runs: a program that
// hangs fails its test instead of hanging the suite.
const commandTimeout = 60 * time.Second

// Program is one way to start the chapter's program.
type Program struct {
	Name string   // its name in transcripts, such as "01-blocking"
	Argv []string // the command that starts it: the binary, or wine and the binary
	Env  []string // added to the environment
	wine bool     // it runs under Wine: see wineFailed

	mu    sync.Mutex
	bg    *background
	ports []string // the ports servers of this transcript listen on
}

// Register adds the program's commands to the suite:
//
//	NAME ARGS...      run it and wait; its output is the command's output
//	NAME ARGS... &    start it and wait for its "listening on HOST:PORT"
//	                  line; PORT is then set for the commands that follow
//	wait              wait for the background program to exit by itself
//	interrupt         send it Ctrl-C (SIGINT) and wait for it to exit
//	mkbytes FILE N    write N bytes of every value to FILE (see Bytes)
//
// In every output the ports of listening servers read ${PORT}, so
// transcripts stay the same from run to run.
func (p *Program) Register(t *testing.T, ts *cmdtest.TestSuite) {
	ts.Commands[p.Name] = p.run
	registerFiles(ts)
	ts.Commands["wait"] = func(args []string, _ string) ([]byte, error) { return p.wait(false) }
	ts.Commands["interrupt"] = func(args []string, _ string) ([]byte, error) { return p.wait(true) }
	ts.Setup = func(string) error {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.ports = nil
		if p.bg != nil {
			p.bg.cmd.Process.Kill()
			<-p.bg.done
			p.bg = nil
			return errors.New("the previous transcript left a program running: end it with wait or interrupt")
		}
		return nil
	}
	t.Cleanup(func() {
		if p.bg != nil {
			p.bg.cmd.Process.Kill()
			<-p.bg.done
			t.Error("a transcript left a program running: end it with wait or interrupt")
		}
	})
}

func (p *Program) command(args []string, stdin string) (*exec.Cmd, error) {
	argv := append(append([]string{}, p.Argv...), args...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), p.Env...)
	cmd.SysProcAttr = interruptible()
	if stdin != "" {
		f, err := os.Open(stdin)
		if err != nil {
			return nil, err
		}
		cmd.Stdin = f
	}
	return cmd, nil
}

func (p *Program) run(args []string, stdin string) ([]byte, error) {
	if len(args) > 0 && args[len(args)-1] == "&" {
		return p.start(args[:len(args)-1], stdin)
	}
	for {
		cmd, err := p.command(args, stdin)
		if err != nil {
			return nil, err
		}
		output, err := startCapture(cmd, nil)
		if err != nil {
			return nil, err
		}
		err = waitWithTimeout(cmd, startWaiting(cmd))
		out := output.finish()
		if !p.wineFailed(args, out, err) {
			return p.scrub(out), err
		}
	}
}

func startWaiting(cmd *exec.Cmd) chan error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	return done
}

func waitWithTimeout(cmd *exec.Cmd, done chan error) error {
	select {
	case err := <-done:
		return err
	case <-time.After(commandTimeout):
		cmd.Process.Kill()
		<-done
		return fmt.Errorf("still running after %v: killed", commandTimeout)
	}
}

// scrub writes the ports of this transcript's servers as ${PORT}.
func (p *Program) scrub(out []byte) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, port := range p.ports {
		re := regexp.MustCompile(`([:"])` + port + `\b`)
		out = re.ReplaceAll(out, []byte("${1}$${PORT}"))
	}
	return out
}
