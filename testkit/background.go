package testkit

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"time"
)

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
