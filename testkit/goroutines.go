package testkit

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// GoroutineEnds fails t unless, within d, no goroutine of this process
// runs a function whose name holds fn (as runtime.Stack prints it, e.g.
// "(*server).stopOn.func1"). A goroutine's end is no event a test can wait
// on, so it looks again every millisecond.
func GoroutineEnds(t testing.TB, fn string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if !bytes.Contains(buf[:n], []byte(fn)) {
			return
		}
		if time.Now().After(deadline) {
			for _, g := range strings.Split(string(buf[:n]), "\n\n") {
				if strings.Contains(g, fn) {
					t.Fatalf("a goroutine in %s still runs %v later:\n%s", fn, d, g)
				}
			}
		}
		time.Sleep(time.Millisecond)
	}
}
