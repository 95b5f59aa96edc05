package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"time"
)

// errNotMeasured is what the thread and memory counts say on systems where
// this chapter does not read them.
var errNotMeasured = errors.New("not measured here")

// showThreads prints what the demo saw of the process's OS threads before
// the clients came, while clients 1 to 3 were served, and after they left.
// Each sentence it prints is checked first. The counts themselves change
// from run to run, so they are printed only with -show-tid.
func showThreads(stdout io.Writer, tids *threadIDs, main int,
	before, during []int, showTID bool) error {
	fmt.Fprint(stdout, "\n-- the threads of the process --\n")
	if before == nil {
		fmt.Fprintln(stdout, "OS threads: not measured here")
		return nil
	}
	serving := tids.list()
	sorted := slices.Sorted(slices.Values(serving))
	if len(serving) != 3 || slices.Contains(serving, main) ||
		len(slices.Compact(sorted)) != 3 {
		return fmt.Errorf("demo: threads 2 to 4 should be three OS "+
			"threads, none the main one: %v, main %d",
			serving, main)
	}
	for _, tid := range serving {
		if !slices.Contains(during, tid) {
			return fmt.Errorf("demo: serving thread %d is not in "+
				"the thread list %v", tid, during)
		}
	}
	after, err := waitUntilGone(tids)
	if err != nil {
		return err
	}

	// Each text starts on the line after its backquote, so that it reads
	// as it prints; [1:] drops the newline that opens it.
	fmt.Fprint(stdout, `
The OS threads of this process, as the system lists them (Linux:
/proc/self/task; Windows: a toolhelp snapshot):
`[1:])
	if showTID {
		fmt.Fprintf(stdout, `
  before any client: %d threads; thread 1 is OS thread %d
  with 3 clients:    %d threads; threads 2 to 4 are OS threads %v
  after they quit:   %d threads
`[1:], len(before), main, len(during), serving, len(after))
	} else {
		fmt.Fprint(stdout, `
  before any client: the Go runtime's own, and thread 1, which accepts
  with 3 clients:    threads 2, 3 and 4 too, three OS threads, one per
                     client, none of them the main thread
  after they quit:   threads 2, 3 and 4 have exited: they are gone from
                     the list
`[1:])
	}
	fmt.Fprint(stdout, `
How many threads there are changes from run to run (-show-tid prints
it): the clients share this process, and the Go runtime starts a thread
for a goroutine blocked in a system call and keeps it, idle, afterwards.
"03-thread-per-conn measure" counts a server's threads alone.
`[1:])
	return nil
}

// waitUntilGone waits until no serving thread is in the process's thread
// list: a locked goroutine's thread exits a moment after the goroutine has
// returned. It returns the list from then.
func waitUntilGone(tids *threadIDs) ([]int, error) {
	deadline := time.Now().Add(stepTimeout)
	for {
		now, err := processThreads(0)
		if err != nil {
			return nil, err
		}
		tids.mu.Lock()
		left := 0
		for _, tid := range tids.byThread {
			if slices.Contains(now, tid) {
				left++
			}
		}
		tids.mu.Unlock()
		if left == 0 {
			return now, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("demo: %d serving threads "+
				"still exist %v after their clients left",
				left, stepTimeout)
		}
		// The thread's exit has no event to wait on: we poll.
		time.Sleep(time.Millisecond)
	}
}
