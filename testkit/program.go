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

// background is a program started with "&", still running.
type background struct {
	cmd    *exec.Cmd
	output *capture
	done   chan error

	ended bool   // rest has been called
	left  []byte // what rest returned
}

// rest returns the output of a program that failed to start or has exited.
func (bg *background) rest() []byte {
	if bg == nil {
		return nil
	}
	if !bg.ended {
		bg.left, bg.ended = bg.output.finish(), true
	}
	return bg.left
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

// start runs the program in the background for a transcript and returns
// once it listens, or once it has exited without listening.
func (p *Program) start(args []string, stdin string) ([]byte, error) {
	p.mu.Lock()
	busy := p.bg != nil
	p.mu.Unlock()
	if busy {
		return nil, errors.New("a program is already running in the background")
	}
	bg, port, err := p.launch(args, stdin)
	if err != nil {
		return p.scrub(bg.rest()), err
	}
	p.mu.Lock()
	p.bg = bg
	p.ports = append(p.ports, port)
	p.mu.Unlock()
	os.Setenv("PORT", port)
	return p.scrub(bg.output.take()), nil
}

// launch starts the program and waits for its "listening on" line. It
// returns the port; on an error the program has exited or been killed.
func (p *Program) launch(args []string, stdin string) (*background, string, error) {
	for {
		bg, port, err := p.launchOnce(args, stdin)
		if err == nil || bg == nil || !p.wineFailed(args, bg.rest(), err) {
			return bg, port, err
		}
	}
}

func (p *Program) launchOnce(args []string, stdin string) (*background, string, error) {
	cmd, err := p.command(args, stdin)
	if err != nil {
		return nil, "", err
	}
	output, err := startCapture(cmd, regexp.MustCompile(`listening on .*:(\d+)\n`))
	if err != nil {
		return nil, "", err
	}
	bg := &background{cmd: cmd, output: output, done: startWaiting(cmd)}
	select {
	case port := <-output.found:
		return bg, port, nil
	case err := <-bg.done:
		if err == nil {
			err = errors.New("exited without listening")
		}
		return bg, "", err
	case <-time.After(commandTimeout):
		cmd.Process.Kill()
		<-bg.done
		return bg, "", fmt.Errorf("no %q line within %v", "listening on", commandTimeout)
	}
}

// wait waits for the background program to exit, after Ctrl-C if asked.
func (p *Program) wait(interrupt bool) ([]byte, error) {
	p.mu.Lock()
	bg := p.bg
	p.bg = nil
	p.mu.Unlock()
	if bg == nil {
		return nil, errors.New("no program is running in the background")
	}
	if interrupt {
		if err := interruptProcess(bg.cmd.Process); err != nil {
			bg.cmd.Process.Kill()
			<-bg.done
			return nil, err
		}
	}
	err := waitWithTimeout(bg.cmd, bg.done)
	return p.scrub(bg.output.finish()), err
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
