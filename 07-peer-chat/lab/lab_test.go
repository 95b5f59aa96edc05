package main

import (
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"iomodels/testkit"
)

// The grading test: it runs the room as you would, and joins it with
// peers of Go's net package, which send and read lines as nc would.
// The lab has two parts, graded apart:
//
//	go test -run Part1 .    the room: room_test.go
//	go test -run Part2 .    slow peers: slow_test.go, bound_test.go

// wait bounds every wait for a line. The room answers within
// milliseconds; 5 seconds leaves room for a busy machine.
const wait = 5 * time.Second

// The room built for this system, and where the Windows build for Wine
// goes once a check has passed natively.
var (
	native   *testkit.Program
	buildDir string
)

// windowsBuild builds the room for Windows, once: a run where every check
// fails natively does without it.
var windowsBuild = sync.OnceValues(func() (string, error) {
	return testkit.Build(buildDir, "room", "windows")
})

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "07-peer-chat-lab")
	binary := ""
	if err == nil {
		binary, err = testkit.Build(dir, "room", runtime.GOOS)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	native = testkit.NativeProgram("room", binary)
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Part 1: the room.
func TestPart1Relay(t *testing.T)     { grade(t, checkRelay) }
func TestPart1Reset(t *testing.T)     { grade(t, checkReset) }
func TestPart1Full(t *testing.T)      { grade(t, checkFull) }
func TestPart1LongLine(t *testing.T)  { grade(t, checkLongLine) }
func TestPart1Interrupt(t *testing.T) { grade(t, checkInterrupt) }

// Part 2: slow peers.
func TestPart2SlowPeer(t *testing.T) { grade(t, checkSlowPeer) }

// TestPart2QueueBound runs natively only: the bound is the portable
// code's, and under Wine, on a busy machine, its flood takes a minute.
func TestPart2QueueBound(t *testing.T) { t.Parallel(); checkQueueBound(t, native) }

// wineTurn lets one check at a time run under Wine, which is slow to
// start a program and slower still when several run at once.
var wineTurn sync.Mutex

// grade runs a check against the native build, then, if it passed, against
// the Windows build under Wine (skipped where Wine is not installed): fix
// what the native run says first.
func grade(t *testing.T, check func(*testing.T, *testkit.Program)) {
	t.Parallel()
	if !t.Run("native", func(t *testing.T) { check(t, native) }) {
		return
	}
	wineTurn.Lock()
	defer wineTurn.Unlock()
	t.Run("wine", func(t *testing.T) {
		binary, err := windowsBuild()
		if err != nil {
			t.Fatal(err)
		}
		check(t, testkit.WineProgram(t, "room", binary))
	})
}
