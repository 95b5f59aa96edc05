// The server that measure measures runs as a process of its own: this file
// starts it, finds its port and stops it.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"time"
)

// child is the server under measurement.
type child struct {
	cmd  *exec.Cmd
	addr string
	done chan error
}

var listeningOn = regexp.MustCompile(`listening on (\S+:\d+)`)

func startChild(argv []string) (*child, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, done: make(chan error, 1)}
	lines := bufio.NewReader(out)
	line, err := lines.ReadString('\n')
	m := listeningOn.FindStringSubmatch(line)
	if m == nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("measure: %s printed %q, not %q (%v)", argv[0], line, "listening on", err)
	}
	c.addr = m[1]
	// We read all it prints, so that it never blocks on a full pipe.
	go func() {
		io.Copy(io.Discard, lines)
		c.done <- cmd.Wait()
	}()
	return c, nil
}

// stop interrupts the server as Ctrl-C would, and kills it if it is not
// gone within measureLimit (or at once where a signal cannot be sent).
func (c *child) stop() {
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		c.cmd.Process.Kill()
	}
	select {
	case <-c.done:
	case <-time.After(measureLimit):
		c.cmd.Process.Kill()
		<-c.done
	}
}
