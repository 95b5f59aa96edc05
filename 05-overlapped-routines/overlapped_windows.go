// The real thing: WSARecv and WSASend with completion routines, and SleepEx
// as the alertable wait in which Windows runs them.
// https://learn.microsoft.com/windows/win32/api/winsock2/nf-winsock2-wsarecv
package main

import (
	"fmt"
	"io"
	"runtime"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// x/sys/windows declares WSARecv and WSASend with the routine as a *byte;
// ours is the address of a callback, so we call them through ws2_32.dll.
var (
	procWSARecv = ws2_32.NewProc("WSARecv")
	procWSASend = ws2_32.NewProc("WSASend")
)

// backends names the -backend values this system has; the first is the default.
const backends = "routines (Windows runs the real completion routines)"

func validBackend(name string) bool { return name == "" || name == "routines" }

// overlappedRecord is the part of the seed's PER_IO_DATA that Winsock
// sees. Its first field is the WSAOVERLAPPED, so the pointer a routine is
// given is also a pointer to the record, which is the C trick of casting
// lpOverlapped back. (The seed instead hides its pointer in hEvent, which
// completion routines leave unused; Go reaches the record by its address
// just as well, so hEvent stays zero.) The record keeps its slot, an index
// into the server's table, rather than a Go pointer.
type overlappedRecord struct {
	overlapped windows.Overlapped
	slot       uint32
	wsabuf     windows.WSABuf
	flags      uint32
	buf        [bufferSize]byte
}

// routinesEngine posts WSARecv and WSASend, each naming one of two
// completion routines, and runs them in SleepEx.
type routinesEngine struct {
	records []overlappedRecord // one allocation, pinned until close
	pinner  runtime.Pinner
	socks   *sockets
	srv     *server // whose routines the callbacks run, while in alertableWait
	ran     int

	// -accept=posted (acceptex_windows.go)
	accept           *acceptRecord
	acceptEvent      windows.Handle
	listener, client *sock // while an AcceptEx is in flight
}

// running is the engine whose alertable wait is under way. Callbacks are
// plain functions made once per process (Go allows only a couple of
// thousand), so they find their engine here; there is one per process.
var running *routinesEngine

// The two completion routines, one per operation, made once: void CALLBACK
// CompletionRoutine(DWORD dwError, DWORD cbTransferred, LPWSAOVERLAPPED
// lpOverlapped, DWORD dwFlags).
var (
	recvRoutine = windows.NewCallback(routineCallback)
	sendRoutine = windows.NewCallback(routineCallback)
)

// routineCallback runs on our thread, inside SleepEx. It finds the record
// from the WSAOVERLAPPED's address and hands the outcome to the model.
func routineCallback(dwError, cbTransferred uintptr, lpOverlapped *windows.Overlapped, dwFlags uintptr) uintptr {
	rec := (*overlappedRecord)(unsafe.Pointer(lpOverlapped))
	var err error
	if dwError != 0 {
		err = windows.Errno(dwError)
	}
	e := running
	e.ran++
	e.srv.complete(int(rec.slot), int(uint32(cbTransferred)), err)
	return 0
}

func newEngine(socks *sockets, backend string, maxClients int, stderr io.Writer) (engine, error) {
	e := &routinesEngine{records: make([]overlappedRecord, maxClients), socks: socks}
	// The kernel writes into these records after WSARecv has returned: we
	// pin them, so that they stay where they are until close.
	e.pinner.Pin(&e.records[0])
	for i := range e.records {
		e.records[i].slot = uint32(i)
	}
	return e, nil
}

func (e *routinesEngine) buffer(slot int) []byte { return e.records[slot].buf[:] }

// cancel closes the socket: closesocket cancels its operation in flight,
// whose routine is told WSA_OPERATION_ABORTED.
func (e *routinesEngine) cancel(s *sock, userData uint64) { s.close() }

// blockingSockets is false: the seed sets FIONBIO on its sockets, and so
// do we. Overlapped WSARecv and WSASend never wait either way.
func (e *routinesEngine) blockingSockets() bool { return false }

func (e *routinesEngine) postRecv(c *record) error {
	return e.post(procWSARecv, "WSARecv", recvRoutine, c, 0, bufferSize)
}

func (e *routinesEngine) postSend(c *record) error {
	return e.post(procWSASend, "WSASend", sendRoutine, c, c.sent, c.filled)
}

// post makes WSARecv or WSASend on buf[from:to] with the record's
// WSAOVERLAPPED and a routine. Done at once (0) or pending
// (WSA_IO_PENDING), the routine runs later, in our alertable wait.
func (e *routinesEngine) post(proc *windows.LazyProc, name string, routine uintptr, c *record, from, to int) error {
	rec := &e.records[c.slot]
	rec.overlapped = windows.Overlapped{}
	rec.wsabuf = windows.WSABuf{Len: uint32(to - from), Buf: &rec.buf[from]}
	rec.flags = 0
	// WSARecv takes lpFlags as a pointer, WSASend dwFlags as a value.
	flags := uintptr(unsafe.Pointer(&rec.flags))
	if proc == procWSASend {
		flags = 0
	}
	r, _, errno := syscall.SyscallN(proc.Addr(), uintptr(c.s.h),
		uintptr(unsafe.Pointer(&rec.wsabuf)), 1, 0, flags,
		uintptr(unsafe.Pointer(&rec.overlapped)), routine)
	var err error
	result := "0"
	if int32(r) == socketError {
		if errno != windows.ERROR_IO_PENDING {
			err = windows.Errno(errno)
		}
		result = "pending"
	}
	if e.socks.tracing() {
		e.socks.tracef(result, err, "%s(%v, %d bytes, routine)", name, c.s, to-from)
	}
	return err
}

// alertableWait is SleepEx(timeout, TRUE): the thread sleeps, and Windows
// runs the queued routines in it; it returns WAIT_IO_COMPLETION if any ran.
func (e *routinesEngine) alertableWait(srv *server, timeout time.Duration) (int, error) {
	e.srv, e.ran = srv, 0
	running = e
	defer func() { running = nil }()
	if e.listener != nil {
		accepted, err := e.waitWithAccept(srv, timeout)
		return e.ran + accepted, err
	}
	r := windows.SleepEx(uint32(timeout/time.Millisecond), true)
	if e.ran > 0 && e.socks.tracing() {
		result := fmt.Sprint(r)
		if r == windows.WAIT_IO_COMPLETION {
			result = "WAIT_IO_COMPLETION"
		}
		e.socks.tracef(result, nil, "SleepEx(%d, TRUE)", timeout/time.Millisecond)
	}
	return e.ran, nil
}

func (e *routinesEngine) close() {
	if e.acceptEvent != 0 {
		windows.CloseHandle(e.acceptEvent)
	}
	e.pinner.Unpin()
}
