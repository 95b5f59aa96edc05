//go:build linux

package main

import (
	"errors"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// newTestRing makes a small ring, or skips where io_uring is unavailable.
func newTestRing(t *testing.T, sq, cq uint32) *ring {
	t.Helper()
	r, err := newRing(sq, cq, 0)
	if err != nil {
		t.Skipf("io_uring unavailable here: %v", err)
	}
	t.Cleanup(r.close)
	return r
}

// queueNop queues an IORING_OP_NOP with user_data id.
func queueNop(t *testing.T, r *ring, id uint64) {
	t.Helper()
	q := r.nextSQE()
	if q == nil {
		t.Fatalf("queue full before entry %d", id)
	}
	q.opcode, q.userData = IORING_OP_NOP, id
	r.push()
}

// reap collects every completion there is, waiting for at least want.
func reap(t *testing.T, r *ring, want int) []cqe {
	t.Helper()
	var got []cqe
	for tries := 0; len(got) < want && tries < 50; tries++ {
		if _, err := r.enter(1, 100*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		for c, ok := r.nextCQE(); ok; c, ok = r.nextCQE() {
			got = append(got, c)
		}
	}
	if len(got) != want {
		t.Fatalf("got %d completions, want %d", len(got), want)
	}
	return got
}

// Both queues wrap around: 4 submission and 8 completion slots carry 100
// operations, in rounds of 3, each coming back with its own user_data.
func TestRingWrapAround(t *testing.T) {
	r := newTestRing(t, 4, 8)
	next := uint64(0)
	for round := 0; round < 34 && next < 100; round++ {
		first := next
		for i := 0; i < 3 && next < 100; i++ {
			queueNop(t, r, next)
			next++
		}
		for i, c := range reap(t, r, int(next-first)) {
			if c.userData != first+uint64(i) || c.res != 0 {
				t.Fatalf("completion %d: user_data %d res %d, want %d and 0", i, c.userData, c.res, first+uint64(i))
			}
		}
	}
	if *r.sqTail != 100 || *r.cqHead != 100 {
		t.Errorf("tail %d, head %d; want both 100 (the indexes wrapped %d times)", *r.sqTail, *r.cqHead, 100/4)
	}
}

// A full submission queue says so (nextSQE is nil) until io_uring_enter
// hands its entries to the kernel; then it has room again.
func TestRingFullSubmissionQueue(t *testing.T) {
	r := newTestRing(t, 4, 8)
	for id := range uint64(4) {
		queueNop(t, r, id)
	}
	if q := r.nextSQE(); q != nil {
		t.Fatal("nextSQE gave a fifth entry in a queue of 4")
	}
	if n, err := r.enter(0, 0); err != nil || n != 4 {
		t.Fatalf("io_uring_enter submitted %d (%v), want 4", n, err)
	}
	queueNop(t, r, 4)
	reap(t, r, 5)
}

// Completions arrive in the order the I/O finishes, not the order it was
// posted: two recvs are posted on sockets a then b, data reaches b first,
// and each completion's user_data still finds its own operation and buffer.
func TestRingCompletionsOutOfOrder(t *testing.T) {
	r := newTestRing(t, 8, 16)
	pairs := make([][2]int, 2)
	for i := range pairs {
		fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		pairs[i] = fds
		t.Cleanup(func() { unix.Close(fds[0]); unix.Close(fds[1]) })
	}
	// The table of operations: user_data is an index into it.
	bufs := [][]byte{make([]byte, 16), make([]byte, 16)}
	for i := range pairs {
		q := r.nextSQE()
		q.opcode, q.fd, q.userData = IORING_OP_RECV, int32(pairs[i][0]), uint64(i)
		q.addr, q.len = uint64(uintptr(unsafe.Pointer(&bufs[i][0]))), 16
		r.push()
	}
	if _, err := r.enter(0, 0); err != nil {
		t.Fatal(err)
	}
	unix.Write(pairs[1][1], []byte("to b"))
	first := reap(t, r, 1)[0]
	unix.Write(pairs[0][1], []byte("to a!"))
	second := reap(t, r, 1)[0]
	if first.userData != 1 || string(bufs[1][:first.res]) != "to b" {
		t.Errorf("first completion: user_data %d, %q; want 1, \"to b\"", first.userData, bufs[1][:max(first.res, 0)])
	}
	if second.userData != 0 || string(bufs[0][:second.res]) != "to a!" {
		t.Errorf("second completion: user_data %d, %q; want 0, \"to a!\"", second.userData, bufs[0][:max(second.res, 0)])
	}
}

// An operation that fails completes with -errno in res: a recv on a
// descriptor that is not a socket.
func TestRingErrorResult(t *testing.T) {
	r := newTestRing(t, 4, 8)
	buf := make([]byte, 8)
	fds := make([]int, 2)
	if err := unix.Pipe(fds); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	q := r.nextSQE()
	q.opcode, q.fd, q.userData = IORING_OP_RECV, int32(fds[0]), 7
	q.addr, q.len = uint64(uintptr(unsafe.Pointer(&buf[0]))), 8
	r.push()
	c := reap(t, r, 1)[0]
	if c.userData != 7 || !errors.Is(unix.Errno(-c.res), unix.ENOTSOCK) {
		t.Errorf("completion: user_data %d res %d, want 7 and -ENOTSOCK", c.userData, c.res)
	}
}

// The wait's timeout is read by the kernel as a struct __kernel_timespec:
// two 64-bit fields on every architecture. A unix.Timespec is the C
// library's timespec, 8 bytes on 386 and arm: the kernel would read 8 bytes
// past it. This line fails to compile where the timeout is not 16 bytes,
// so `GOARCH=386 go vet ./...` checks it without a 386 machine.
var _ = [1]int{}[unsafe.Sizeof(ring{}.timeout)-16]

func TestWaitTimeoutLayout(t *testing.T) {
	var r ring
	if size := unsafe.Sizeof(r.timeout); size != 16 {
		t.Errorf("the wait's timeout is %d bytes, want 16 (struct __kernel_timespec)", size)
	}
}
