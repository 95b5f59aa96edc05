package main

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"iomodels/testkit"
)

// TestStopOnEndsWithTheServer: a server that reaps its last child without
// a signal (-clients N, or a failed accept) leaves no goroutine waiting for
// one: stopOn's ends once every child is reaped.
func TestStopOnEndsWithTheServer(t *testing.T) {
	srv := newServer(&sockets{}, io.Discard, serverConfig{})
	srv.stopOn(make(chan os.Signal))
	srv.reapAll()
	testkit.GoroutineEnds(t, "(*server).stopOn", 5*time.Second)
}

// TestInterruptAndWaitReturnsWhatWentWrong: after Ctrl-C, an error the
// server returns is passed on, for the server command to print, and the
// *interrupted that says it stopped is not one.
func TestInterruptAndWaitReturnsWhatWentWrong(t *testing.T) {
	failed := errors.New("accept: too many open files (EMFILE)")
	for _, returned := range []error{failed, &interrupted{os.Interrupt}, nil} {
		stop := make(chan os.Signal, 1)
		done := make(chan error, 1)
		done <- returned
		var late strings.Builder
		err := interruptAndWait(stop, os.Interrupt, done, &late)
		want := returned
		if returned != failed {
			want = nil
		}
		if err != want || late.Len() > 0 || len(stop) != 1 {
			t.Errorf("the server returned %v: got %v, %q on stderr, %d signals passed on; want %v, nothing, 1",
				returned, err, late.String(), len(stop), want)
		}
	}
}
